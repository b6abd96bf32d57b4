"""Program (training) names: ALL-CAPS exports made readable, acronyms kept."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def tidy_program(values: pd.Series, acronyms: Iterable[str]) -> pd.Series:
    """Title-case program names written wholly in capitals; others stay as written.

    "JURU LAS SMAW 3G" -> "Juru Las SMAW 3G" ("SMAW" is a configured acronym; words
    with digits are left alone). A name already in mixed case is the export's own
    spelling and is kept. Each distinct name is handled once.
    """
    keep = {a.upper() for a in acronyms}

    def tidy(name):
        if not isinstance(name, str) or not name.isupper():
            return name
        return _WORD.sub(lambda m: m.group(0) if m.group(0) in keep else m.group(0).capitalize(),
                         name)

    distinct = {v: tidy(v) for v in pd.unique(values.dropna())}
    return values.map(distinct).astype(object).where(values.notna(), None)
