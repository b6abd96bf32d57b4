"""Named kill points, so the fault tests kill a run exactly where they mean to.

`KEBEKERJAAN_KILL_AT=<point>[:<n>]` makes a process die by SIGKILL (as a power cut would)
the n-th time it reaches `kill_point("<point>")` (n = 1 when not given). In a step's kernel
the run that started it (the process holding the workspace lock) dies with it.

`KEBEKERJAAN_KILL_WAIT=<file>` makes the process first create `<file>.ready` and wait for
`<file>.go`: a test does what it wants done while the run stands at that point (a staff
form save), then lets it die. No sleeps racing the run.

Unset, which is always outside the tests, a kill point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

KILL_ENV = "KEBEKERJAAN_KILL_AT"
WAIT_ENV = "KEBEKERJAAN_KILL_WAIT"
_reached: dict[str, int] = {}


def kill_point(name: str) -> None:
    wanted = os.environ.get(KILL_ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] != int(nth or 1):
        return
    gate = os.environ.get(WAIT_ENV)
    if gate:
        Path(f"{gate}.ready").write_text(str(os.getpid()), encoding="utf-8")
        while not Path(f"{gate}.go").exists():
            time.sleep(0.01)
    from kebekerjaan.core import lock

    if os.environ.get(lock.RUN_ENV) and not lock.HELD:
        # a step's kernel: its parent is the run, which dies first
        os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
