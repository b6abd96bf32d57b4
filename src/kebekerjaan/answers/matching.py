"""Match each survey answer to an alumnus: respondent code, else NIK, else phone, else
a fuzzy name.

A respondent code (codes.py, from the personal link or quoted in a message) names the
enrolment itself. A code that fails its check or was never handed out goes to review
with its reason, whatever else the answer says: a typo is never turned into a guess.

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

from kebekerjaan import codes

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
    """Match answers (columns nik, phone, name, optional code, kejuruan, angkatan) to people.

    `alumni` has one row per enrolment: nik, name, phone, kejuruan, angkatan, optional
    enrolment_id and code (its respondent code). Returns, aligned with `answers`:
    match_status, match_method, match_score, matched_nik, candidates (JSON list of
    {nik, name, score}), matched_enrolment (the enrolment a code names, else None) and
    match_note (why a human must look, else None).
    """
    rules = rules or MatchRules()
    n = len(answers)
    out = pd.DataFrame({
        "match_status": np.full(n, UNMATCHED, dtype=object),
        "match_method": np.full(n, None, dtype=object),
        "match_score": np.full(n, np.nan),
        "matched_nik": np.full(n, None, dtype=object),
        "candidates": np.full(n, "[]", dtype=object),
        "matched_enrolment": np.full(n, None, dtype=object),
        "match_note": np.full(n, None, dtype=object),
    }, index=answers.index)
    if n == 0 or alumni.empty:
        return out
    people = alumni.drop_duplicates("nik", keep="last")

    by_code, bad_code = _match_codes(answers, alumni, out)
    nik = answers.get("nik", pd.Series(None, index=answers.index))
    known_nik = ~by_code & nik.isin(set(people["nik"]))
    out.loc[known_nik, ["match_status", "match_method", "match_score"]] = [MATCHED, "nik", 100.0]
    out.loc[known_nik, "matched_nik"] = nik[known_nik]

    todo = ~by_code & ~known_nik
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
    if bad_code.any():
        _to_review(out, bad_code, people)
    return out


def _match_codes(answers, alumni, out) -> tuple[pd.Series, pd.Series]:
    """Decide the answers that give a known, valid code; return (decided, bad code) masks."""
    none = pd.Series(False, index=answers.index)
    if "code" not in answers or "code" not in alumni:
        return none, none
    given = answers["code"].map(codes.normalize)
    known = alumni.dropna(subset=["code"])
    enrolment_of = dict(zip(known["code"], known["enrolment_id"]))
    nik_of = dict(zip(known["code"], known["nik"]))
    problem = given.map(lambda c: None if c is None else codes.problem(c))
    unknown = given.notna() & problem.isna() & ~given.isin(enrolment_of.keys())
    problem[unknown] = [f"kode responden '{codes.display(c)}' tidak dikenal (tidak pernah "
                        "dibagikan dalam undangan)" for c in given[unknown]]
    # A forwarded link: the code is someone else's than the NIK the answer gives.
    nik = answers["nik"] if "nik" in answers else pd.Series(None, index=answers.index)
    coded_nik = given.map(nik_of)
    other = (given.notna() & problem.isna() & coded_nik.notna() & nik.isin(set(alumni["nik"]))
             & (nik != coded_nik))
    problem[other] = [f"kode responden '{codes.display(c)}' milik alumnus lain daripada NIK yang "
                      "diisi (tautan diteruskan?)" for c in given[other]]
    hit = given.notna() & problem.isna()
    out.loc[hit, ["match_status", "match_method", "match_score"]] = [MATCHED, "kode", 100.0]
    out.loc[hit, "matched_nik"] = given[hit].map(nik_of)
    out.loc[hit, "matched_enrolment"] = given[hit].map(enrolment_of).astype(object)
    bad = problem.notna()
    out.loc[bad, "match_note"] = problem[bad] + "; periksa kode atau pilih alumnusnya"
    return hit, bad


def _to_review(out, bad, people) -> None:
    """A bad code: whatever NIK, phone or name found becomes a suggestion for staff."""
    names = dict(zip(people["nik"], people["name"]))
    found = bad & (out["match_status"] == MATCHED)
    out.loc[found, "candidates"] = [
        json.dumps([{"nik": nik, "name": names.get(nik), "score": 100.0}], ensure_ascii=False)
        for nik in out.loc[found, "matched_nik"]]
    out.loc[bad, "match_status"] = REVIEW
    out.loc[bad, "matched_nik"] = None
    out.loc[bad, "match_method"] = "kode"


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
