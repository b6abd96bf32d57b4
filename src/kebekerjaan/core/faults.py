"""Named fault points, so the fault tests kill or fail a run exactly where they mean to.

`KEBEKERJAAN_FAULT_AT=<point>[:<n>]` acts the n-th time the process reaches
`fault_point("<point>")` (n = 1 when not given); `KEBEKERJAAN_FAULT` says how:

- `kill` (the default): SIGKILL, as a power cut would. In a step's kernel the run that
  started it (the process holding the workspace lock) dies with it;
- `fail`: raise RuntimeError there (a step that fails; the run itself goes on to undo it);
- `pause`: only wait at the gate below, then go on.

`KEBEKERJAAN_FAULT_IN=kernel` acts only in a step's kernel (the run process, which
inherits the same environment, passes the point by).

`KEBEKERJAAN_FAULT_WAIT=<file>` makes the process first create `<file>.ready` and wait for
`<file>.go`: a test does what it wants done while the process stands at that point (a staff
form save), then lets it go on. No sleeps racing the run.

Unset, which is always outside the tests, a fault point costs one environment lookup.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

AT_ENV = "KEBEKERJAAN_FAULT_AT"
ACTION_ENV = "KEBEKERJAAN_FAULT"
WAIT_ENV = "KEBEKERJAAN_FAULT_WAIT"
IN_ENV = "KEBEKERJAAN_FAULT_IN"
_reached: dict[str, int] = {}


def fault_point(name: str) -> None:
    wanted = os.environ.get(AT_ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    from kebekerjaan.core import lock

    in_kernel = bool(os.environ.get(lock.RUN_ENV)) and not lock.HELD
    if os.environ.get(IN_ENV) == "kernel" and not in_kernel:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] != int(nth or 1):
        return
    gate = os.environ.get(WAIT_ENV)
    if gate:
        Path(f"{gate}.ready").write_text(str(os.getpid()), encoding="utf-8")
        while not Path(f"{gate}.go").exists():
            time.sleep(0.01)
    action = os.environ.get(ACTION_ENV, "kill")
    if action == "pause":
        return
    if action == "fail":
        raise RuntimeError(f"kegagalan uji di titik {name}")
    if in_kernel:
        # a step's kernel: its parent is the run, which dies first
        os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
