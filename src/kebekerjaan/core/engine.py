"""The papermill engine the runner executes each step with: papermill's own nbclient
engine, on the kernel started ahead for the step (kebekerjaan.core.kernels).

The runner registers it with papermill (`register`) and passes the started kernel manager
as `km`, which papermill hands to the engine with its other engine arguments. Registered
by the runner, not through papermill's "papermill.engine" entry point: papermill loads
its entry points while it is itself being imported, so a module that subclasses its
engine could then not be imported before papermill.
"""

from __future__ import annotations

from papermill.engines import NBClientEngine, papermill_engines

from kebekerjaan.core.kernels import ENGINE, usable


class StartedKernelEngine(NBClientEngine):
    """Run on `km` when given and alive, else on a fresh kernel, as papermill alone would.

    A kernel started ahead can die before running anything: jupyter_client picks its TCP
    ports free, but another process may take one before the kernel binds it ("Address
    already in use"). No cell has run then, so the notebook simply starts again on a fresh
    kernel."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, km=None, **kwargs):
        if km is not None and usable(km):
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, km=km, **kwargs)
            except RuntimeError as exc:
                if "Kernel died before replying to kernel_info" not in str(exc):
                    raise
        return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)


def register() -> str:
    """Make the engine known to papermill under ENGINE (idempotent); returns its name."""
    papermill_engines.register(ENGINE, StartedKernelEngine)
    return ENGINE
