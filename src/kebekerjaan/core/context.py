"""What every step is given: one context, made from a notebook's parameters.

A step entry function (`collect_alumni(ctx)`, `invite_survey(ctx)`, `recap_step(ctx)`...)
takes a StepContext: the workspace, the as-of date, the run folder and its id, whether
staff are at the notebook, the settings (read once, when the context is made) and the
`periode` parameter of the steps that report on a period.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kebekerjaan.core.config import Settings
from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.core.runs import resolve_run_dir
from kebekerjaan.core.workspace import Workspace, open_workspace


@dataclass(frozen=True)
class StepContext:
    ws: Workspace
    today: date
    run_dir: Path
    interactive: bool = False
    settings: Settings = field(default=None, repr=False)  # None: the workspace's, read now
    periode: str = ""  # "2026-III", "2026" or "": the caturwulan of `today`
    run_id: str = ""   # "": the run folder's name, as the runner names its runs

    def __post_init__(self) -> None:
        object.__setattr__(self, "run_dir", Path(self.run_dir))
        if self.settings is None:
            object.__setattr__(self, "settings", self.ws.settings())
        if not self.run_id:
            object.__setattr__(self, "run_id", self.run_dir.name)

    def _repr_html_(self) -> str:
        rows = [
            ("Folder kerja", self.ws.root), ("Tanggal acuan", self.today.strftime("%d-%m-%Y")),
            ("Folder hasil proses", self.run_dir),
            ("Mode", "interaktif" if self.interactive else "terjadwal (papermill)"),
        ]
        if self.periode:
            rows.append(("Periode", self.periode))
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td>{html.escape(str(v))}</td></tr>"
                       for k, v in rows)
        return f"<table>{body}</table>"


def open_step(workspace: str, as_of: str, run_dir: str, interaktif: bool,
              periode: str = "") -> StepContext:
    """Turn a notebook's parameters (plain strings, as papermill injects them) into a context."""
    ws = open_workspace(workspace or None)
    try:
        today = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        raise KebekerjaanError(
            f"Parameter as_of '{as_of}' tidak sah; tulis sebagai TTTT-BB-HH, mis. 2026-11-27."
        ) from None
    settings = ws.settings()  # a broken kebekerjaan.toml should stop the notebook here, clearly
    show_missing_as_blank()
    if not run_dir:  # alone, not under the runner: first finish what a killed run left
        from kebekerjaan.core.recovery import recover_unfinished

        for rec in recover_unfinished(ws):
            print("PERHATIAN:", rec.message())
    return StepContext(ws, today, resolve_run_dir(ws.outputs, run_dir), bool(interaktif),
                       settings, (periode or "").strip())


def blank_missing(frame):
    """A copy of a frame for staff to read: missing values (None, NaN, NaT, <NA>) as empty
    cells and dates as 27-11-2026 (with the time only where one is set)."""
    import pandas as pd

    out = frame.copy()
    for i in range(out.shape[1]):
        col = out.iloc[:, i]
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            timed = (col.dropna() != col.dropna().dt.normalize()).any()
            text = col.dt.strftime("%d-%m-%Y %H:%M" if timed else "%d-%m-%Y")
        elif pd.api.types.is_float_dtype(col.dtype) and (col.dropna() % 1 == 0).all():
            text = col.astype("Int64").astype(object)  # counts a blank made float: 3, not 3.0
        else:
            text = col.astype(object)
        out.isetitem(i, text.where(col.notna(), ""))
    return out


def _frame_html(frame) -> str | None:
    import pandas as pd

    rows = pd.get_option("display.max_rows")
    if len(frame) > rows:  # what pandas would show anyway: the first and last rows
        half = max(pd.get_option("display.min_rows") // 2, 1)
        shown = blank_missing(pd.concat([frame.head(half), frame.tail(half)]))
        return (shown._repr_html_()
                + f"<p>{len(frame):,} baris × {frame.shape[1]} kolom (ditampilkan {2 * half} "
                "baris pertama dan terakhir)</p>".replace(",", "."))
    return blank_missing(frame)._repr_html_()


def show_missing_as_blank() -> None:
    """In a notebook, every table staff read shows blanks instead of None/NaN/NaT."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - notebooks always have IPython
        return
    shell = get_ipython()
    if shell is None:
        return
    import pandas as pd

    pd.set_option("styler.format.na_rep", "")
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
