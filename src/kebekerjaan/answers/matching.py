"""Match each survey answer to an alumnus: NIK, else phone, else a fuzzy name.

Exact keys are joined in bulk. Names are compared only against plausible candidates:
alumni sharing one of the answer's rarer name tokens (an inverted index, so no answer
is ever compared with every alumnus), narrowed to the kejuruan or angkatan the answer
gives. Every answer keeps its method, score and the candidates considered.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

MATCHED, REVIEW, UNMATCHED = "cocok", "tinjau", "tidak cocok"
_TOKEN = re.compile(r"[a-z0-9]+")
# Tokens too common to say who someone is (they would make every block huge).
_FILLER = {"bin", "binti", "la", "wa", "ode", "muh", "muhammad", "moh", "mohammad", "st", "andi"}


@dataclass(frozen=True)
class MatchRules:
    accept: float = 90.0  # name score at or above: matched
    review: float = 75.0  # from here up to accept: a human decides
    margin: float = 3.0  # two candidates this close: a human decides too
    max_block: int = 2000  # a token shared by more alumni than this does not block

    @classmethod
    def from_settings(cls, settings) -> MatchRules:
        m = settings.raw["matching"]
        if not 0 <= m["review"] <= m["accept"] <= 100:
            from kebekerjaan.errors import ConfigError

            raise ConfigError("kebekerjaan.toml: [matching] harus 0 <= review <= accept <= 100.")
        return cls(accept=float(m["accept"]), review=float(m["review"]), margin=float(m["margin"]))


def name_tokens(name) -> list[str]:
    if not isinstance(name, str):
        return []
    text = unicodedata.normalize("NFKD", name.casefold()).encode("ascii", "ignore").decode()
    return _TOKEN.findall(text)


def _name_key(name) -> str:
    return " ".join(name_tokens(name))


def match_answers(answers: pd.DataFrame, alumni: pd.DataFrame,
                  rules: MatchRules | None = None) -> pd.DataFrame:
    """Match answers (columns nik, phone, name, optional kejuruan, angkatan) to people.

    `alumni` has one row per enrolment: nik, name, phone, kejuruan, angkatan. Returns,
    aligned with `answers`: match_status, match_method, match_score, matched_nik,
    candidates (JSON list of {nik, name, score}).
    """
    rules = rules or MatchRules()
    n = len(answers)
    out = pd.DataFrame({
        "match_status": np.full(n, UNMATCHED, dtype=object),
        "match_method": np.full(n, None, dtype=object),
        "match_score": np.full(n, np.nan),
        "matched_nik": np.full(n, None, dtype=object),
        "candidates": np.full(n, "[]", dtype=object),
    }, index=answers.index)
    if n == 0 or alumni.empty:
        return out
    people = alumni.drop_duplicates("nik", keep="last")

    nik = answers.get("nik", pd.Series(None, index=answers.index))
    known_nik = nik.isin(set(people["nik"]))
    out.loc[known_nik, ["match_status", "match_method", "match_score"]] = [MATCHED, "nik", 100.0]
    out.loc[known_nik, "matched_nik"] = nik[known_nik]

    todo = ~known_nik
    phone = answers.get("phone", pd.Series(None, index=answers.index))
    phones = people.dropna(subset=["phone"])
    shared = phones["phone"].duplicated(keep=False)
    by_phone = dict(zip(phones.loc[~shared, "phone"], phones.loc[~shared, "nik"]))
    hit = todo & phone.isin(by_phone.keys())
    out.loc[hit, ["match_status", "match_method", "match_score"]] = [MATCHED, "telepon", 100.0]
    out.loc[hit, "matched_nik"] = phone[hit].map(by_phone)
    # A number shared by several alumni (a family phone) decides nothing by itself.
    todo &= ~hit

    if todo.any():
        _match_names(answers.loc[todo], alumni, people, rules, out)
    return out


def _match_names(answers, alumni, people, rules, out) -> None:
    keys = people["name"].map(_name_key).to_numpy(dtype=object)
    niks = people["nik"].to_numpy()
    names = people["name"].to_numpy()
    postings: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        for tok in set(key.split()):
            if tok not in _FILLER:
                postings[tok].append(i)
    # Which kejuruan / angkatan each person was trained in (any of their enrolments).
    kej_of: dict[str, set] = defaultdict(set)
    ang_of: dict[str, set] = defaultdict(set)
    for nik, kej, ang in zip(alumni["nik"], alumni["kejuruan"], alumni["angkatan"]):
        kej_of[nik].add(kej)
        ang_of[nik].add(ang)

    n = len(answers)
    statuses, scores = [UNMATCHED] * n, [np.nan] * n
    matched, listed = [None] * n, ["[]"] * n
    given_kej = answers["kejuruan"].tolist() if "kejuruan" in answers else [None] * n
    given_ang = answers["angkatan"].tolist() if "angkatan" in answers else [None] * n
    for r, (name, kej, ang) in enumerate(zip(answers["name"].tolist(), given_kej, given_ang)):
        query = _name_key(name)
        tokens = [t for t in set(query.split()) if t in postings and t not in _FILLER]
        if not tokens:
            continue
        # The rarest tokens say most about who this is: people sharing the two rarest
        # (or, failing that, either of them) are the only ones compared.
        tokens.sort(key=lambda t: len(postings[t]))
        usable = [postings[t] for t in tokens[:2] if len(postings[t]) <= rules.max_block]
        block = set(usable[0]) & set(usable[1]) if len(usable) == 2 else set()
        if not block:
            block = {i for p in usable for i in p}
        if isinstance(kej, str):
            block = {i for i in block if kej in kej_of[niks[i]]}
        if isinstance(ang, str):
            block = {i for i in block if ang in ang_of[niks[i]]}
        if not block:
            continue
        cand = np.fromiter(block, dtype=np.int64, count=len(block))
        best = process.extract(query, keys[cand].tolist(), scorer=fuzz.token_sort_ratio, limit=3,
                               score_cutoff=rules.review)
        if not best:
            continue
        ranked = [(int(cand[j]), score) for _, score, j in best]
        listed[r] = json.dumps(
            [{"nik": niks[i], "name": names[i], "score": round(sc, 1)} for i, sc in ranked],
            ensure_ascii=False,
        )
        top_i, top = ranked[0]
        scores[r] = round(top, 1)
        close = len(ranked) > 1 and top - ranked[1][1] < rules.margin
        if top >= rules.accept and not close:
            statuses[r], matched[r] = MATCHED, niks[top_i]
        elif top >= rules.review:
            statuses[r] = REVIEW
    idx = answers.index
    out.loc[idx, "match_method"] = "nama"
    out.loc[idx, "match_status"] = statuses
    out.loc[idx, "match_score"] = scores
    out.loc[idx, "matched_nik"] = matched
    out.loc[idx, "candidates"] = listed
