"""kebekerjaan: the Survey Kebekerjaan Alumni Pelatihan workbook (SOP KDI/PM/09).

Layout, from the ground up (each floor imports only from the floors below it):

- core/   settings, workspace, SQLite store, run folders, lock and recovery, runner
- io/     files in and out: tables, headers, normalizers, intake, Excel, messages, privacy
- rules/  what the SOP and the questionnaire decide: periods, graduates, statuses, codes
- steps/  the nine SOP steps, each under one name (see steps/__init__.py)
- ui/     ipywidgets forms and the staff app (Voila)
- demo/   synthetic sample data
- cli     the `kebekerjaan` command
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
