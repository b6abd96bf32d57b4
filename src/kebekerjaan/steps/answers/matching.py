"""Match each survey answer to an alumnus: respondent code, else NIK, else phone, else
a fuzzy name.

A respondent code (codes.py, from the personal link or quoted in a message) names the
enrolment itself. A code that fails its check or was never handed out goes to review
with its reason, whatever else the answer says: a typo is never turned into a guess.

Exact keys are joined in bulk. Names are compared only against plausible candidates:
alumni sharing the answer's rarer name tokens (an inverted index, so no answer is ever
compared with every alumnus), within the kejuruan and angkatan the answer gives. Where
even that block is too large to compare (a very common name), the pair of the answer's
two rarest tokens is the block; an answer still not comparable is not dropped: it goes
to review with its reason. Every answer keeps its method, score, the candidates
considered and, when a human must look, why.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import astuple, dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from kebekerjaan.io.normalize.names import APOSTROPHES
from kebekerjaan.rules import codes
from kebekerjaan.rules.labels import MATCHED, REVIEW, UNMATCHED

_TOKEN = re.compile(r"[a-z0-9]+")
# Tokens too common to say who someone is (they would make every block huge).
_FILLER = {"bin", "binti", "la", "wa", "ode", "muh", "muhammad", "moh", "mohammad", "st", "andi"}


@dataclass(frozen=True)
class MatchRules:
    accept: float  # name score at or above: matched
    review: float  # from here up to accept: a human decides
    margin: float  # two candidates this close: a human decides too
    max_block: int = 2000  # most alumni one answer's name is compared with (not a setting)

    @classmethod
    def from_settings(cls, settings=None) -> MatchRules:
        """From `[matching]` (checked by load_settings); None: the packaged defaults."""
        if settings is None:
            from kebekerjaan.core.config import load_settings

            settings = load_settings(None)
        m = settings.matching
        return cls(accept=m.accept, review=m.review, margin=m.margin)

    def fingerprint(self) -> str:
        """What matching depends on besides the data: a change re-matches every answer."""
        return json.dumps(["matching-v2", *astuple(self)])


def name_tokens(name) -> list[str]:
    if not isinstance(name, str):
        return []
    # "Nur'aini", "Nur’aini" and "Nuraini" are one name: apostrophes of any kind go.
    text = unicodedata.normalize("NFKD", APOSTROPHES.sub("", name).casefold())
    text = text.encode("ascii", "ignore").decode()
    return _TOKEN.findall(text)


def _name_key(name) -> str:
    return " ".join(name_tokens(name))


def same_name_key(name) -> str:
    """A name's tokens in sorted order: two spellings of one name with the words in another
    order ("Wa Ode Sari" / "Sari Wa Ode") have the same key."""
    return _sorted_key(_name_key(name))


def blocking_tokens(name) -> set[str]:
    """The tokens of a name that block: an alumnus sharing none is never a candidate."""
    return set(name_tokens(name)) - _FILLER


def empty_result(index) -> pd.DataFrame:
    n = len(index)
    return pd.DataFrame({
        "match_status": np.full(n, UNMATCHED, dtype=object),
        "match_method": np.full(n, None, dtype=object),
        "match_score": np.full(n, np.nan),
        "matched_nik": np.full(n, None, dtype=object),
        "candidates": np.full(n, "[]", dtype=object),
        "matched_enrolment": np.full(n, None, dtype=object),
        "match_note": np.full(n, None, dtype=object),
    }, index=index)


class ExactKeys:
    """Who a NIK or a phone number names: the alumni (nik, phone) to look keys up in.

    A number shared by several alumni (a family phone) names nobody by itself.
    """

    def __init__(self, people: pd.DataFrame):
        people = people.drop_duplicates("nik", keep="last")
        # pandas Indexes: their hash tables are built once, then probed batch after batch.
        self.niks = pd.Index(people["nik"].to_numpy(dtype=object))
        self.names = (people["name"].to_numpy(dtype=object) if "name" in people
                      else np.full(len(people), None, dtype=object))  # aligned with niks
        phones = people.dropna(subset=["phone"])
        shared = phones["phone"].duplicated(keep=False)
        self.phones = pd.Index(phones.loc[~shared, "phone"].to_numpy(dtype=object))
        self.phone_nik = phones.loc[~shared, "nik"].to_numpy(dtype=object)

    def name_of(self, niks) -> list:
        at = self.niks.get_indexer(list(niks))
        return [self.names[i] if i >= 0 else None for i in at]


def match_answers(answers: pd.DataFrame, alumni: pd.DataFrame | None,
                  rules: MatchRules | None = None, names: NameIndex | None = None,
                  keys: ExactKeys | None = None) -> pd.DataFrame:
    """Match answers (columns nik, phone, name, optional code, kejuruan, angkatan) to people.

    `alumni` has one row per enrolment: nik, name, phone, kejuruan, angkatan, optional
    enrolment_id and code (its respondent code); it must hold at least every alumnus with
    one of the answers' NIKs, phone numbers or codes. `names`, the name index of all
    alumni, is built from `alumni` when not given. Returns, aligned with `answers`:
    match_status, match_method, match_score, matched_nik, candidates (JSON list of
    {nik, name, score}), matched_enrolment (the enrolment a code names, else None) and
    match_note (why a human must look, else None).
    """
    rules = rules or MatchRules.from_settings()
    out = empty_result(answers.index)
    if len(answers) == 0 or ((alumni is None or alumni.empty) and names is None):
        return out
    keys = keys or ExactKeys(alumni)
    by_code, bad_code = _match_codes(answers, alumni, out, keys.niks)
    code_notes = out.loc[bad_code, "match_note"].copy()
    coded = by_code.to_numpy()
    status, method = out["match_status"].to_numpy(copy=True), out["match_method"].to_numpy(copy=True)
    score, matched = out["match_score"].to_numpy(copy=True), out["matched_nik"].to_numpy(copy=True)

    nik = answers.get("nik", pd.Series(None, index=answers.index)).to_numpy(dtype=object)
    known_nik = ~coded & (keys.niks.get_indexer(nik) >= 0)
    status[known_nik], method[known_nik], score[known_nik] = MATCHED, "nik", 100.0
    matched[known_nik] = nik[known_nik]

    phone = answers.get("phone", pd.Series(None, index=answers.index)).to_numpy(dtype=object)
    at = keys.phones.get_indexer(phone)
    # A number shared by several alumni (a family phone) decides nothing by itself.
    hit = ~coded & ~known_nik & (at >= 0)
    status[hit], method[hit], score[hit] = MATCHED, "telepon", 100.0
    matched[hit] = keys.phone_nik[at[hit]]
    out = pd.DataFrame({"match_status": status, "match_method": method, "match_score": score,
                        "matched_nik": matched, "candidates": out["candidates"].to_numpy(),
                        "matched_enrolment": out["matched_enrolment"].to_numpy(),
                        "match_note": out["match_note"].to_numpy()}, index=answers.index)

    todo = ~coded & ~known_nik & ~hit
    if todo.any():
        if names is None:
            names = NameIndex(alumni[["nik", "name"]], alumni[["nik", "kejuruan", "angkatan"]])
        found = names.match(answers.loc[todo], rules)
        where = np.flatnonzero(todo)
        for col in found.columns:
            values = out[col].to_numpy(copy=True)
            values[where] = found[col].to_numpy()
            out[col] = values
    if bad_code.any():
        _to_review(out, bad_code, keys)
        out.loc[bad_code, "match_note"] = code_notes  # name matching must not hide why
    return out


def _match_codes(answers, alumni, out, known_niks) -> tuple[pd.Series, pd.Series]:
    """Decide the answers that give a known, valid code; return (decided, bad code) masks."""
    none = pd.Series(False, index=answers.index)
    if "code" not in answers or alumni is None or "code" not in alumni:
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
    other = (given.notna() & problem.isna() & coded_nik.notna() & nik.isin(known_niks)
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


def _to_review(out, bad, keys: ExactKeys) -> None:
    """A bad code: whatever NIK, phone or name found becomes a suggestion for staff."""
    found = bad & (out["match_status"] == MATCHED)
    niks = out.loc[found, "matched_nik"].tolist()
    out.loc[found, "candidates"] = [
        json.dumps([{"nik": nik, "name": name, "score": 100.0}], ensure_ascii=False)
        for nik, name in zip(niks, keys.name_of(niks))]
    out.loc[bad, "match_status"] = REVIEW
    out.loc[bad, "matched_nik"] = None
    out.loc[bad, "match_method"] = "kode"


def _sorted_key(key: str) -> str:
    return " ".join(sorted(key.split()))


def _intersect(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Common values of two sorted unique arrays (postings are), without re-sorting."""
    if len(a) > len(b):
        a, b = b, a
    if not len(a):
        return a
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return a[b[at] == a]


class _Postings:
    """Sorted (code, person) pairs: the people under a code are one contiguous slice."""

    def __init__(self, codes: np.ndarray, people: np.ndarray):
        codes, people = codes.astype(np.int64), people.astype(np.int64)
        order = np.lexsort((people, codes))
        codes, people = codes[order], people[order]
        keep = np.ones(len(codes), bool)
        keep[1:] = (codes[1:] != codes[:-1]) | (people[1:] != people[:-1])
        self.codes, self.people = codes[keep], people[keep]
        self._spans: dict[int, tuple[int, int]] = {}

    def span(self, code: int) -> tuple[int, int]:
        # Memoized: common tokens (first names) come back in answer after answer.
        found = self._spans.get(code)
        if found is None:
            found = self._spans[code] = (int(np.searchsorted(self.codes, code, "left")),
                                         int(np.searchsorted(self.codes, code, "right")))
        return found

    def get(self, code: int) -> np.ndarray:
        lo, hi = self.span(code)
        return self.people[lo:hi]

    def size(self, code: int) -> int:
        lo, hi = self.span(code)
        return hi - lo

    def has(self, codes: np.ndarray) -> np.ndarray:
        if not len(self.codes):
            return np.zeros(len(codes), bool)
        at = np.minimum(np.searchsorted(self.codes, codes), len(self.codes) - 1)
        return self.codes[at] == codes


class NameIndex:
    """Inverted index of alumni name tokens, by kejuruan and angkatan too, in numpy arrays.

    Built once per run from every alumnus (one row per person: nik, name) and every
    enrolment (nik, kejuruan, angkatan); the memory is a few int64 arrays, not a dict of
    Python lists, so a national store of a million alumni fits.
    """

    def __init__(self, people: pd.DataFrame, enrolments: pd.DataFrame):
        people = people.drop_duplicates("nik", keep="last")
        self.niks = people["nik"].to_numpy(dtype=object)
        self.names = people["name"].to_numpy(dtype=object)
        names = pd.Series(self.names)
        uniq = pd.unique(names)
        key_of = {n: _name_key(n) for n in uniq}
        self.keys = names.map(key_of).to_numpy(dtype=object)
        # Tokens sorted once per alumnus: fuzz.ratio on these is token_sort_ratio, without
        # sorting every candidate again for every answer.
        self.sorted_keys = pd.Series(self.keys).map(_sorted_key).to_numpy(dtype=object)
        tok_of = {k: sorted(set(k.split()) - _FILLER) for k in set(key_of.values())}
        self.tok_id: dict[str, int] = {}
        pid, tok, pair = [], [], []
        ids = self.tok_id
        for i, k in enumerate(self.keys):
            codes = [ids.setdefault(t, len(ids)) for t in tok_of[k]]
            pid.extend([i] * len(codes))
            tok.extend(codes)
            pair.append(codes)
        self.words = list(ids)  # token text by id, for the reasons staff read
        self.n_tok = n_tok = max(len(ids), 1)
        pid = np.asarray(pid, dtype=np.int64)
        tok = np.asarray(tok, dtype=np.int64)
        self.base = _Postings(tok, pid)
        # Pairs of tokens of one name: the finer block when each token alone is too common.
        pp, pc = [], []
        for i, codes in enumerate(pair):
            for a, b in combinations(sorted(codes), 2):
                pp.append(i)
                pc.append(a * n_tok + b)
        self.pairs = _Postings(np.asarray(pc, dtype=np.int64), np.asarray(pp, dtype=np.int64))

        person_of = pd.Index(self.niks)
        e_pid = person_of.get_indexer(enrolments["nik"])
        ok = e_pid >= 0
        kej_codes, kej_names = pd.factorize(enrolments["kejuruan"].astype(object))
        ang_codes, ang_names = pd.factorize(enrolments["angkatan"].astype(object))
        self.kej_id = {k: i for i, k in enumerate(kej_names)}
        self.ang_id = {a: i for i, a in enumerate(ang_names)}
        self.n_kej, self.n_ang = max(len(kej_names), 1), max(len(ang_names), 1)
        e_pid, e_kej, e_ang = e_pid[ok], kej_codes[ok].astype(np.int64), ang_codes[ok].astype(np.int64)
        # Which kejuruan / angkatan each person was trained in (any of their enrolments).
        self.person_kej = _Postings(e_pid * self.n_kej + e_kej, np.zeros(len(e_pid)))
        self.person_ang = _Postings(e_pid * self.n_ang + e_ang, np.zeros(len(e_pid)))
        # Token x kejuruan, token x angkatan, token x both: each enrolment's name tokens.
        rows = pd.DataFrame({"pid": pid, "tok": tok}).merge(
            pd.DataFrame({"pid": e_pid, "kej": e_kej, "ang": e_ang}), on="pid")
        t, p = rows["tok"].to_numpy(), rows["pid"].to_numpy()
        k, a = rows["kej"].to_numpy(), rows["ang"].to_numpy()
        self.by_kej = _Postings(t * self.n_kej + k, p)
        self.by_ang = _Postings(t * self.n_ang + a, p)
        self.by_both = _Postings((t * self.n_kej + k) * self.n_ang + a, p)

    def _level(self, kej, ang):
        """The postings and code function for what the answer says about its training."""
        k = self.kej_id.get(kej, -1) if isinstance(kej, str) else None
        a = self.ang_id.get(ang, -1) if isinstance(ang, str) else None
        if k == -1 or a == -1:
            return None  # nobody was trained there: no plausible candidate
        if k is not None and a is not None:
            return self.by_both, lambda t: (t * self.n_kej + k) * self.n_ang + a, k, a
        if k is not None:
            return self.by_kej, lambda t: t * self.n_kej + k, k, a
        if a is not None:
            return self.by_ang, lambda t: t * self.n_ang + a, k, a
        return self.base, lambda t: t, k, a

    def _within(self, block: np.ndarray, k, a) -> np.ndarray:
        if k is not None and len(block):
            block = block[self.person_kej.has(block * self.n_kej + k)]
        if a is not None and len(block):
            block = block[self.person_ang.has(block * self.n_ang + a)]
        return block

    def block(self, name, kej=None, ang=None, max_block: int = 2000):
        """(alumni to compare, reason when the name could not be compared)."""
        level = self._level(kej, ang)
        tokens = [self.tok_id[t] for t in blocking_tokens(name) if t in self.tok_id]
        if level is None or not tokens:
            return np.empty(0, np.int64), None
        post, code, k, a = level
        sized = sorted((post.size(code(t)), t) for t in tokens)
        sized = [(n, t) for n, t in sized if n]
        if not sized:
            return np.empty(0, np.int64), None
        # The rarest tokens say most about who this is: people sharing the two rarest
        # (or, failing that, either of them) are the only ones compared.
        usable = [t for n, t in sized[:2] if n <= max_block]
        if usable:
            lists = [post.get(code(t)) for t in usable]
            block = _intersect(*lists) if len(lists) == 2 else lists[0]
            if not len(block):
                block = np.union1d(*lists)
            return block, None
        if len(sized) >= 2:
            a_, b_ = sorted(t for _, t in sized[:2])
            block = self._within(self.pairs.get(a_ * self.n_tok + b_), k, a)
            if 0 < len(block) <= max_block:
                return block, None
        n, t = sized[0]
        word = self.words[t]
        scope = "".join([f" kejuruan {kej}" if k is not None else "",
                         f" angkatan {ang}" if a is not None else ""])
        return np.empty(0, np.int64), (
            f"nama terlalu umum untuk dicocokkan otomatis: {n} alumni{scope} bernama "
            f"'{word}'; pilih alumnus yang dimaksud")

    def match(self, answers: pd.DataFrame, rules: MatchRules) -> pd.DataFrame:
        """Name matches of `answers`, aligned with them (the match_answers columns)."""
        n = len(answers)
        statuses, scores = [UNMATCHED] * n, [np.nan] * n
        matched, listed, notes = [None] * n, ["[]"] * n, [None] * n
        given_kej = answers["kejuruan"].tolist() if "kejuruan" in answers else [None] * n
        given_ang = answers["angkatan"].tolist() if "angkatan" in answers else [None] * n
        keys, niks, names = self.sorted_keys, self.niks, self.names
        for r, (name, kej, ang) in enumerate(zip(answers["name"].tolist(), given_kej, given_ang)):
            cand, why = self.block(name, kej, ang, rules.max_block)
            if why:
                statuses[r], notes[r] = REVIEW, why
                continue
            if not len(cand):
                continue
            best = process.extract(_sorted_key(_name_key(name)), keys[cand].tolist(),
                                   scorer=fuzz.ratio, limit=3, score_cutoff=rules.review)
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
        return pd.DataFrame({
            "match_status": statuses, "match_method": "nama", "match_score": scores,
            "matched_nik": matched, "candidates": listed, "match_note": notes,
        }, index=answers.index)
