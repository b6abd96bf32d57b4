"""kebekerjaan: the Survey Kebekerjaan Alumni Pelatihan workbook (SOP KDI/PM/09).

Package layout follows the SOP: `steps/` holds one module per SOP step; the
modules beside it are the shared parts (config, workspace, store, tables,
normalize, excel, runs, runner).
"""



def __getattr__(name: str):
    # Looked up on demand: importlib.metadata adds a tenth of a second to every kernel start.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("kebekerjaan")
        except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
            return "0.0.0"
    raise AttributeError(name)
