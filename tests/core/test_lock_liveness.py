"""Issue 19: whether a lock's holder still runs is asked through psutil, never with
`os.kill(pid, 0)`, which on Windows sends CTRL_C_EVENT (signal 0): it raises there (a stale
lock then looked alive forever) or interrupts the console."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import psutil
import pytest

from kebekerjaan.core import lock
from kebekerjaan.core.workspace import init_workspace


@pytest.fixture
def windows_kill(monkeypatch):
    """os.kill as Windows has it: signal 0 is CTRL_C_EVENT, and for a process that is not a
    console child it raises OSError (WinError 87). Any call is recorded."""
    calls = []

    def kill(pid, sig):
        calls.append((pid, sig))
        raise OSError(22, "The parameter is incorrect", None, 87)

    monkeypatch.setattr(os, "kill", kill)
    return calls


def ended_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_stale_lock_of_an_ended_process_is_cleared_without_signalling_it(tmp_path, windows_kill):
    ws = init_workspace(tmp_path / "ws")
    dead = ended_pid()
    (ws.data / lock.LOCK_NAME).write_text(json.dumps(
        {"run_id": "20261127-070000", "pid": dead, "host": socket.gethostname(),
         "since": "2026-11-27T07:00:00", "what": "menjalankan proses"}), encoding="utf-8")
    held = lock.WorkspaceLock(ws.data)
    notes = held.acquire({"pid": os.getpid()}, 0, print)
    held.release()
    assert any("proses itu sudah berhenti" in n for n in notes)
    assert windows_kill == []


def test_a_kernel_trusts_only_a_live_holder_of_its_run(tmp_path, monkeypatch, windows_kill):
    ws = init_workspace(tmp_path / "ws")
    monkeypatch.setenv(lock.RUN_ENV, "20261127-070000")
    path = ws.data / lock.LOCK_NAME
    for pid, mine in ((os.getpid(), True), (ended_pid(), False)):
        path.write_text(json.dumps({"run_id": "20261127-070000", "pid": pid}), encoding="utf-8")
        assert lock.holds(ws) is mine
    assert windows_kill == []


def test_a_process_that_may_not_be_inspected_counts_as_alive(monkeypatch):
    def denied(pid):
        raise psutil.AccessDenied(pid)

    monkeypatch.setattr(psutil, "Process", denied)
    assert lock._alive(4242)


def test_an_ended_but_unreaped_process_is_not_alive():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        deadline = time.monotonic() + 30
        # not waited for: it stays a zombie until reaped
        while psutil.Process(proc.pid).status() != psutil.STATUS_ZOMBIE:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert not lock._alive(proc.pid)
    finally:
        proc.wait()
    assert not lock._alive(proc.pid) and not lock._alive(0) and not lock._alive(-1)
