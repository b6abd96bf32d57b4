"""Step kernels started one step ahead, so a run does not wait for nine kernel starts.

A fresh kernel per step keeps steps independent (the papermill contract), but starting
one and importing the step's modules costs about a second each time. The runner starts
the kernel of the next step (in the run's order, kebekerjaan.core.order) while the current
step runs: the process starts and imports
the modules the next notebook imports (its `from X import` lines) in the background, and
papermill then runs the notebook on it (through the package's papermill engine,
kebekerjaan.core.engine: nbclient accepts a started kernel manager). The runner owns
these kernels: each is shut down after its step, and every kernel still open
is shut down when the run ends, fails or is interrupted. A kernel outlives a killed
runner by about a second at most: ipykernel exits when its parent process is gone.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from jupyter_client import KernelManager

# The name the runner's papermill engine (kebekerjaan.core.engine) is registered under.
ENGINE = "kebekerjaan"

# The kernel's own log lines (a warning about its local TCP sockets at start, a
# KeyboardInterrupt trace at shutdown) only alarm staff; errors in cells still reach the
# executed notebook and the runner.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:"]

_IMPORT = re.compile(r"^\s*(?:from\s+([A-Za-z_][\w.]*)\s+import\b|import\s+([A-Za-z_][\w.]*))",
                     re.MULTILINE)


def notebook_imports(notebook: Path) -> list[str]:
    """The modules a notebook's code cells import at top level, in order, once each."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    seen: dict[str, None] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            for m in _IMPORT.finditer(cell.source):
                seen.setdefault(m.group(1) or m.group(2), None)
    return list(seen)


def warm_up_code(modules: list[str]) -> str:
    """One line for the kernel to run at start: import `modules`, leaving no names behind
    and never failing (a module that cannot be imported fails in its cell, as before)."""
    body = ("import importlib as _il\n"
            f"for _m in {modules!r}:\n"
            "    try:\n"
            "        _il.import_module(_m)\n"
            "    except Exception:\n"
            "        pass\n"
            "del _il, _m\n")
    return f"exec({body!r})"


def start(notebook: Path) -> StepKernel:
    """A started kernel for `notebook`, its working folder the notebook's folder (as
    papermill's `cwd`), its environment this process's (the run's lock token included)."""
    km = StepKernel(kernel_name="python3")
    modules = notebook_imports(notebook)
    arguments = list(KERNEL_ARGUMENTS)
    if modules:
        arguments.append(f"--IPKernelApp.exec_lines={warm_up_code(modules)}")
    km.start_kernel(extra_arguments=arguments, cwd=str(notebook.parent))
    return km


def usable(km: StepKernel) -> bool:
    """The kernel is still running (it may have died at start, see runner._execute)."""
    try:
        return bool(km.has_kernel and km.is_alive())
    except Exception:  # noqa: BLE001 - any doubt: not usable, start a fresh one
        return False


def request_stop(km: StepKernel) -> None:
    """Ask a kernel to shut down without waiting (its step is over)."""
    try:
        if km.has_kernel and not km.stop_requested:  # a second request only upsets it
            km.request_shutdown()
    except Exception:  # noqa: BLE001 - a kernel that died on its own is stopped already
        pass


def finish_stop(km: StepKernel) -> None:
    """Wait for a kernel asked to stop (kill it if it does not), close its sockets."""
    try:
        for client in km.clients:
            client.stop_channels()
        km.clients.clear()
        if km.has_kernel:
            if km.stop_requested:
                km.finish_shutdown()
            else:
                km.shutdown_kernel(now=True)
        km.cleanup_resources()
    except Exception:  # noqa: BLE001 - best effort on the way out; never hide the step's error
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001
            pass


class _ClosedStreamNoise(logging.Filter):
    """A kernel's sockets closed while a message callback was pending (a step failed or
    ended, and the runner shut its kernel down) make tornado log "Uncaught exception in
    ZMQStream callback" with a traceback, now and then. The step's outcome is already
    known and reported in Indonesian; the trace would only reach staff's screen."""

    NOISE = ("uncaught exception in zmqstream callback", "got events for closed stream",
             "got events for stream")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).casefold().startswith(self.NOISE)


_NOISE = _ClosedStreamNoise()


class RunKernels:
    """The kernels of one run: started ahead, each shut down in the background once its
    step is over (closing a kernel's sockets takes a few tenths of a second: no reason for
    the next step to wait), and all of them when the run ends, however it ends."""

    def __init__(self) -> None:
        self._open: list[StepKernel] = []
        self._closing: list[threading.Thread] = []
        tornado_log = logging.getLogger("tornado.general")
        if _NOISE not in tornado_log.filters:
            tornado_log.addFilter(_NOISE)

    def start(self, notebook: Path) -> StepKernel:
        km = start(notebook)
        self._open.append(km)
        return km

    def done(self, km: StepKernel) -> None:
        request_stop(km)
        self._open.remove(km)
        thread = threading.Thread(target=finish_stop, args=(km,), daemon=True,
                                  name="kebekerjaan-kernel-stop")
        thread.start()
        self._closing.append(thread)

    def close(self) -> None:
        for km in self._open:
            request_stop(km)
        for km in self._open:
            finish_stop(km)
        self._open.clear()
        for thread in self._closing:
            thread.join(timeout=30)  # a kernel that ignores shutdown is killed within ~5 s
        self._closing.clear()


class StepKernel(KernelManager):
    """A kernel manager that remembers the clients nbclient makes from it, so the runner
    can close their sockets (nbclient leaves them to the owner of the manager)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("client_class", "jupyter_client.asynchronous.AsyncKernelClient")
        super().__init__(**kwargs)  # an asynchronous client, as nbclient's own
        self.clients: list = []
        self.stop_requested = False

    def client(self, **kwargs):
        client = super().client(**kwargs)
        self.clients.append(client)
        return client

    def request_shutdown(self, restart: bool = False) -> None:
        super().request_shutdown(restart=restart)
        self.stop_requested = True
