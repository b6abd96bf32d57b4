"""Personal names in title case without breaking Indonesian naming conventions."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from kebekerjaan.io.normalize.text import clean_text_array

__all__ = ["APOSTROPHES", "normalize_name"]

# Apostrophes typed in names. A name keeps the one it was given in ("Ma’ruf" stays
# typographic); a comparison of names ignores which one (steps/answers/matching).
APOSTROPHES = re.compile(r"['’‘`´ʼ]")
# Stand-ins a keyboard offers for an apostrophe: these become the plain one.
_STAND_INS = re.compile(r"[`´]")
# Patronymic particles stay lower case except as the first word.
_PARTICLES = {"Bin": "bin", "Binti": "binti"}

# Marks cells the fast path leaves to the general cleaner.
_SLOW = object()


def _lower_after_apostrophe(name: str) -> str:
    # str.title() capitalises after an apostrophe ("Nur'Aini"); inside a word it must not.
    out = list(name)
    for m in APOSTROPHES.finditer(name):
        i = m.start()
        if 0 < i < len(name) - 1 and name[i - 1].isalpha() and name[i + 1].isalpha():
            out[i + 1] = name[i + 1].lower()
    return "".join(out)


def _title(name: str) -> str:
    # str.title() already capitalises after hyphens and dots ("Abdul-Rahman", "M. Ridwan")
    # and gives "La Ode"/"Wa Ode"; only apostrophes and particles need fixing.
    if "`" in name or not name.isascii():
        name = _STAND_INS.sub("'", name)
    out = name.title()
    if APOSTROPHES.search(out):
        out = _lower_after_apostrophe(out)
    if " Bin" in out:
        words = out.split(" ")
        out = " ".join([words[0]] + [_PARTICLES.get(w, w) for w in words[1:]])
    return out


def normalize_name(values: pd.Series) -> pd.Series:
    """Trimmed, whitespace-collapsed, title-cased names; empty -> None. Idempotent.

    "MUHAMMAD RIZKY BIN ABDULLAH" -> "Muhammad Rizky bin Abdullah", "NUR'AINI" ->
    "Nur'aini", "abdul-rahman" -> "Abdul-Rahman", "LA ODE" -> "La Ode", "M. RIDWAN" ->
    "M. Ridwan", "MA’RUF" -> "Ma’ruf" (the apostrophe as typed; ` and ´ become ').
    """
    raw = values.to_numpy(dtype=object)
    # Fast path for plain ASCII text (nearly every name): clean and title-case inline;
    # only names with an apostrophe or "Bin" need the regex fix-ups.
    out = np.array(
        [
            (t if "'" not in t and " Bin" not in t and "`" not in t else _title(t)) or None
            if type(x) is str and x.isascii() and (t := " ".join(x.split()).title()) is not None
            else _SLOW
            for x in raw
        ],
        dtype=object,
    )
    slow = np.flatnonzero(out == _SLOW)
    if len(slow):
        texts = clean_text_array(pd.Series(raw[slow], dtype=object))
        out[slow] = [None if t is None else _title(t) for t in texts]
    return pd.Series(out, index=values.index, dtype=object)
