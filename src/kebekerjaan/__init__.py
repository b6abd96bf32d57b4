"""kebekerjaan: the Survey Kebekerjaan Alumni Pelatihan workbook (SOP KDI/PM/09).

Package layout follows the SOP: `steps/` holds one module per SOP step; the
modules beside it are the shared parts (config, workspace, store, tables,
normalize, excel, runs, runner).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kebekerjaan")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"
