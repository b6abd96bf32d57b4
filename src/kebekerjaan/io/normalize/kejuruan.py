"""Kejuruan (vocational field) names mapped to the canonical list from kebekerjaan.toml."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from kebekerjaan.io.normalize.text import factorize_text, header_key

__all__ = ["KejuruanMapper"]

# rapidfuzz score (0-100) from which an unknown value gets a "did you mean" hint.
SUGGESTION_CUTOFF = 80


class KejuruanMapper:
    """Maps kejuruan as typed to canonical names through their aliases.

    Matching uses header_key, so case, spaces and punctuation do not matter. An alias
    (or canonical name) claimed by two canonical names is a configuration mistake and
    raises ValueError.
    """

    def __init__(self, entries: Iterable[tuple[str, Sequence[str]]]):
        self._names: list[str] = []
        self._index: dict[str, str] = {}
        # Original spelling of each key, for the error message.
        spelled: dict[str, str] = {}
        for name, aliases in entries:
            name = " ".join(str(name).split())
            if not header_key(name):
                raise ValueError(f"nama kejuruan '{name}' kosong atau tidak berisi huruf/angka")
            if name in self._names:
                raise ValueError(f"kejuruan '{name}' tercantum dua kali")
            self._names.append(name)
            for alias in (name, *aliases):
                key = header_key(alias)
                if not key:
                    raise ValueError(
                        f"alias '{alias}' untuk kejuruan '{name}' kosong atau tidak berisi "
                        "huruf/angka"
                    )
                owner = self._index.get(key)
                if owner is not None and owner != name:
                    raise ValueError(
                        f"alias '{alias}' dipakai oleh dua kejuruan: '{owner}' "
                        f"(sebagai '{spelled[key]}') dan '{name}'"
                    )
                self._index[key] = name
                spelled.setdefault(key, alias)
        self._keys = list(self._index)

    @property
    def names(self) -> list[str]:
        """Canonical names, in configuration order."""
        return list(self._names)

    def _one(self, text: str) -> tuple[str | None, str | None]:
        key = header_key(text)
        found = self._index.get(key)
        if found is not None:
            return found, None
        message = f"kejuruan '{text}' tidak dikenal; tambahkan sebagai alias di kebekerjaan.toml"
        if key and self._keys:
            # Plain ratio on the keys: WRatio's partial matching would make a short alias
            # such as "TI" look like a match for anything containing "ti".
            best = process.extractOne(
                key, self._keys, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF
            )
            if best is not None:
                message += f" (mungkin maksudnya '{self._index[best[0]]}'?)"
        return None, message

    def map(self, values: pd.Series) -> pd.DataFrame:
        """Columns `kejuruan` (canonical name or None) and `error` (Indonesian or None)."""
        codes, texts = factorize_text(values)
        kej = np.full(len(texts) + 1, None, dtype=object)
        err = np.full(len(texts) + 1, None, dtype=object)
        for k, t in enumerate(texts):
            if t is not None:
                kej[k], err[k] = self._one(t)
        kej[-1], err[-1] = None, "kejuruan kosong"  # codes == -1: empty cells
        return pd.DataFrame({"kejuruan": kej[codes], "error": err[codes]}, index=values.index)


def kejuruan_mapper(settings) -> KejuruanMapper:
    """The configured kejuruan list as a mapper; a clash of aliases is a config error."""
    from kebekerjaan.core.errors import ConfigError

    try:
        return KejuruanMapper([(k.name, list(k.aliases)) for k in settings.kejuruan])
    except ValueError as exc:
        raise ConfigError(f"{settings.where}: daftar kejuruan tidak sah: {exc}") from exc
