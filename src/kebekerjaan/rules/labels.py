"""The words staff read for the states and kinds the code passes around, one home each.

Codes (the values stored and compared) sit beside their Indonesian labels, so a new state
or kind is added here once and every list, sheet, summary and page shows it the same way.
"""

from __future__ import annotations

from pathlib import Path

# How an answer was matched to an alumnus (stored in answers.match_status).
MATCHED, REVIEW, UNMATCHED = "cocok", "tinjau", "tidak cocok"


def headline_files(produced: list[Path]) -> list[tuple[str, Path]]:
    """What staff open first: the report (PDF, HTML), then the Excel lists."""
    def pick(pattern: str) -> list[Path]:
        return sorted(p for p in produced if p.match(pattern) and p.parent.name != "notebooks")

    return ([("Laporan PDF", p) for p in pick("laporan_*.pdf")]
            + [("Laporan HTML", p) for p in pick("laporan_*.html")]
            + [("Excel", p) for p in pick("*.xlsx")])
