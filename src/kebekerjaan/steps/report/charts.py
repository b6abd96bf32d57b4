"""Report charts: matplotlib (Agg, no pyplot state), readable in grey print.

Greys and hatches tell bars apart without colour, and every bar carries its value,
so a photocopy of the report still reads.
"""

from __future__ import annotations

import io

import pandas as pd

from kebekerjaan.io.formatting import angka, persen
from kebekerjaan.rules.statuses import PHRASES
from kebekerjaan.steps.report.narrative import (
    capital,
    comparable,
    group_frame,
    options_or_default,
    period_name,
)
from kebekerjaan.steps.report.options import RATE_NAMES
from kebekerjaan.steps.report.tables import as_fraction

GREYS = ("#4d4d4d", "#8c8c8c", "#bdbdbd", "#e0e0e0", "#f5f5f5")
HATCHES = ("", "//", "..", "xx", "\\\\")
WIDTH_IN = 6.3  # the text width of an A4 page with the report's margins
DPI = 200
FONT_PT = 9


class Chart:
    """A finished figure; displays as an <img> with the PNG inline (a data: URI) and alt text."""

    def __init__(self, figure, alt: str = ""):
        self.figure = figure
        self.alt = alt

    def png(self) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg(self.figure)
        buf = io.BytesIO()
        self.figure.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
        return buf.getvalue()

    def _repr_html_(self):
        return f'<figure class="grafik">{self.img()}</figure>'

    def img(self) -> str:
        """An <img> with the PNG inline (for a chart laid out beside HTML)."""
        import base64
        from html import escape

        data = base64.b64encode(self.png()).decode("ascii")
        # The width in CSS pixels keeps the printed size at the figure's size, not DPI-sized.
        width = round(self.figure.get_figwidth() * 96)
        return (f'<img src="data:image/png;base64,{data}" alt="{escape(self.alt)}" '
                f'style="width: {width}px">')

    def __repr__(self) -> str:
        return f"<Grafik: {self.alt}>"


def _figure(n_bars: int, *, min_h: float = 1.6, per_bar: float = 0.34, width: float = WIDTH_IN):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, max(min_h, 0.7 + per_bar * n_bars)))
    ax = fig.add_subplot()
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=FONT_PT)
    return fig, ax


def _hbars(labels: list[str], values: list[float], texts: list[str], *, title: str,
           xlabel: str, xmax: float | None = None, styled: bool = True,
           width: float = WIDTH_IN) -> Chart:
    fig, ax = _figure(len(labels), width=width)
    y = list(range(len(labels)))[::-1]  # first label on top
    bars = ax.barh(y, values, color=[GREYS[i % len(GREYS)] if styled else GREYS[1] for i in y[::-1]],
                   edgecolor="black", linewidth=0.6, height=0.65)
    if styled:
        for i, bar in enumerate(bars):
            bar.set_hatch(HATCHES[i % len(HATCHES)])
    top = xmax if xmax is not None else max([*values, 0]) or 1
    ax.set_xlim(0, top * 1.22)  # room for the value labels
    for bar, text in zip(bars, texts):
        ax.text(bar.get_width() + top * 0.01, bar.get_y() + bar.get_height() / 2, text,
                va="center", ha="left", fontsize=FONT_PT)
    ax.set_yticks(y, labels)
    ax.set_xlabel(xlabel, fontsize=FONT_PT)
    ax.set_title(title, fontsize=FONT_PT + 1, loc="left", fontweight="bold")
    fig.tight_layout()
    return Chart(fig, title)


def status_chart(recap) -> Chart | None:
    """Respondents of the period by status: count and share of respondents."""
    now = recap.summary.loc["periode"]
    total = int(now["merespons"])
    if total == 0:
        return None
    labels = [words.capitalize() for words in PHRASES.values()]
    values = [int(now[col]) for col in PHRASES]
    texts = [f"{angka(v)} ({persen(v / total)})" for v in values]
    return _hbars(labels, values, texts, xlabel="Jumlah responden",
                  title=f"Status responden, {period_name(recap.period)} (n = {angka(total)})")


def comparison_chart(recap, opts=None) -> Chart | None:
    """Response rate and both employment rates (the official one named so): previous
    period (only when comparable), this period, cumulative."""
    import numpy as np

    opts = options_or_default(opts)
    s = recap.summary
    rows = [r for r in ("periode_sebelumnya", "periode", "kumulatif") if r in s.index]
    if not comparable(recap, opts):
        rows = [r for r in rows if r != "periode_sebelumnya"]
    names = {"periode_sebelumnya": capital(period_name(recap.period.previous())),
             "periode": capital(period_name(recap.period)), "kumulatif": "Kumulatif"}
    measures = (("tingkat_respons", "Tingkat respons"),
                (opts.official_rate, f"{RATE_NAMES[opts.official_rate]} (resmi)"),
                (opts.other_rate, RATE_NAMES[opts.other_rate]))
    if all(pd.isna(s.loc[r, m]) for r in rows for m, _ in measures):
        return None
    fig, ax = _figure(3, min_h=2.6)
    x = np.arange(len(rows))
    width = 0.26
    for i, (col, title) in enumerate(measures):
        vals = [0.0 if pd.isna(s.loc[r, col]) else float(s.loc[r, col]) * 100 for r in rows]
        bars = ax.bar(x + (i - 1) * width, vals, width, label=title, color=GREYS[i * 2 % 5],
                      hatch=HATCHES[i], edgecolor="black", linewidth=0.6)
        for bar, r in zip(bars, rows):
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 1.5,
                    persen(s.loc[r, col]), ha="center", va="bottom", fontsize=FONT_PT - 1)
    ax.set_xticks(x, [names[r] for r in rows])
    ax.set_ylim(0, 112)
    ax.set_ylabel("Persen", fontsize=FONT_PT)
    ax.legend(fontsize=FONT_PT - 1, frameon=False, ncols=3, loc="upper center",
              bbox_to_anchor=(0.5, -0.12))
    ax.set_title("Tingkat respons dan tingkat penempatan kerja (TPK)", fontsize=FONT_PT + 1,
                 loc="left", fontweight="bold")
    fig.tight_layout()
    return Chart(fig, "Perbandingan periode")


def breakdown_chart(recap, key: str, title: str, max_bars: int = 0,
                    min_respondents: int = 1) -> Chart | None:
    """Employment rate among respondents per group, for groups with at least
    `min_respondents` respondents (with `max_bars`, only that many groups with the most
    respondents)."""
    frame = recap.by.get(key)
    if frame is None or frame.empty:
        return None
    frame = group_frame(frame, key)
    frame = frame[frame["merespons"] >= max(min_respondents, 1)]
    if max_bars > 0 and len(frame) > max_bars:
        frame = frame.sort_values("merespons", ascending=False, kind="stable").head(max_bars)
        title = f"{title} ({max_bars} dengan responden terbanyak)"
    frame = frame.sort_values("tpk_responden", ascending=False)
    if frame.empty:
        return None
    texts = [f"{persen(r.tpk_responden)} (n = {angka(r.merespons)})" for r in frame.itertuples()]
    labels = [_wrap(str(k)) for k in frame["kelompok"]]
    return _hbars(labels, list(frame["tpk_responden"] * 100), texts,
                  title=f"Bekerja atau berwirausaha per {title.lower()} (persen responden)",
                  xlabel="Persen responden", xmax=100, styled=False)


def _wrap(label: str, width: int = 34, lines: int = 2) -> str:
    """A long group name on at most two lines, shortened with '…' beyond that."""
    import textwrap

    parts = textwrap.wrap(label, width, break_long_words=True) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1] + "…"
    return "\n".join(parts)


def distribution_chart(frame: pd.DataFrame, title: str, width: float = WIDTH_IN) -> Chart | None:
    if frame is None or frame.empty or frame["jumlah"].sum() == 0:
        return None
    shares = as_fraction(frame["persen"]) if "persen" in frame else frame["jumlah"] / frame["jumlah"].sum()
    texts = [f"{angka(n)} ({persen(p)})" for n, p in zip(frame["jumlah"], shares)]
    return _hbars([_wrap(str(k), 24) for k in frame["kelompok"]], list(frame["jumlah"]), texts,
                  title=title, xlabel="Jumlah alumni", width=width)
