"""The rule reader for WhatsApp replies: data/aturan_wa.toml compiled once, each message
normalised (abbreviations, drawn-out letters, particles) and matched against the rules, with
negation, "about someone else" and the employer's name read from the text.

classify.py weighs these hits together with the learned model (model.py), which reads the
same normalised text.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from kebekerjaan.io import wilayah
from kebekerjaan.io.normalize.text import header_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PLACE = "{tempat}"
_PUNCT = ".,;:!?\"'()[]{}<>*~_"
_REPEAT = re.compile(r"([a-z])\1{2,}")
_TERMINATORS = ",;!?:)\"'"


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    confidence: float
    patterns: tuple[re.Pattern, ...]
    negatable: bool
    description: str
    business_words: frozenset[str] = frozenset()
    prefilter: re.Pattern | None = None  # a word every match of this rule holds


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    abbreviations: dict[str, str]
    negations: frozenset[str]
    negation_window: int
    particles: frozenset[str]
    others: frozenset[str]
    others_window: int
    signals: tuple[tuple[str, re.Pattern], ...]
    stop_words: frozenset[str]
    legal_prefixes: frozenset[str]
    not_employers: frozenset[str]
    ignore: re.Pattern
    prefilter: re.Pattern  # words any rule needs; most chit-chat fails it at once
    work_words: re.Pattern  # a reply mentioning these is reviewed, never dropped, when unclear


def _compile(pattern: str) -> re.Pattern:
    body = pattern.replace(PLACE, r"(?P<tempat>\S.*)")
    tail = "" if PLACE in pattern else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{body}){tail}")


def _words_filter(patterns: list[str]) -> re.Pattern:
    # The literal words of a rule's patterns: a text holding none of them cannot match.
    words = set()
    for p in patterns:
        words.update(re.findall(r"[a-z]{3,}", p.replace(PLACE, "")))
    return re.compile("|".join(sorted(words, key=len, reverse=True)))


@cache
def load_rules() -> RuleSet:
    """The shipped rules, read and compiled once."""
    raw = resources.files("kebekerjaan").joinpath("data/aturan_wa.toml").read_text(encoding="utf-8")
    data = tomllib.loads(raw)
    text = data["text"]
    rules = tuple(
        Rule(
            id=r["id"],
            status=r["status"],
            confidence=float(r["confidence"]),
            patterns=tuple(_compile(p) for p in r["patterns"]),
            negatable=bool(r.get("negatable", True)),
            description=r.get("description", ""),
            business_words=frozenset(r.get("business_words", ())),
            prefilter=_words_filter(r["patterns"]),
        )
        for r in data["rule"]
    )
    words = set()
    for r in data["rule"]:
        for p in r["patterns"]:
            # The first literal word of each alternative is enough for a cheap filter.
            words.update(re.findall(r"[a-z]{3,}", p.replace(PLACE, "")))
    prefilter = re.compile("|".join(sorted(words, key=len, reverse=True)))
    return RuleSet(
        rules=rules,
        abbreviations={k.casefold(): v for k, v in text["abbreviations"].items()},
        negations=frozenset(text["negations"]),
        negation_window=int(text["negation_window"]),
        particles=frozenset(text.get("particles", ())),
        others=frozenset(text.get("others_words", ())),
        others_window=int(text.get("others_window", 0)),
        signals=tuple((name, re.compile("|".join(f"(?:{p})" for p in pats)))
                      for name, pats in data.get("signals", {}).items()),
        stop_words=frozenset(text["stop_words"]),
        legal_prefixes=frozenset(text["legal_prefixes"]),
        not_employers=frozenset(header_key(w) for w in text["not_employers"]),
        ignore=re.compile("|".join(f"(?:{p})" for p in text["ignore_patterns"])),
        prefilter=prefilter,
        work_words=re.compile(r"(?<!\w)(?:" + "|".join(text["work_words"]) + ")"),
    )


@cache
def _place_names() -> frozenset[str]:
    """header_key of every kab/kota name without its KABUPATEN/KOTA prefix, and provinces."""
    tables = wilayah.tables()
    names = set()
    for arr in (tables.kabkota_name, tables.prov_name):
        for name in arr:
            if name:
                bare = re.sub(r"^(?:kabupaten|kab\.?|kota)\s+", "", str(name), flags=re.I)
                names.add(header_key(bare))
    return frozenset(names)


def _core(token: str) -> str:
    return token.strip(_PUNCT)


def _normalize(text: str, rs: RuleSet) -> tuple[str, list[str], list[int]]:
    """(normalized text, original tokens, char offset of each token in the normalized text)."""
    tokens = []
    norm: list[str] = []
    offsets: list[int] = []
    pos = 0
    for tok in text.split():
        low = tok.casefold()
        core = _core(low)
        if core not in rs.abbreviations and _REPEAT.search(core):
            # "joblesssss", "kerjaaa": drawn-out letters, as far as a known word appears.
            shorter = _REPEAT.sub(r"\1\1", core)
            shorter = shorter if shorter in rs.abbreviations else _REPEAT.sub(r"\1", core)
            low, core = low.replace(core, shorter, 1), shorter
        if core in rs.particles and core == low:
            continue  # "belum pi dapat" reads "belum dapat"; a particle before a comma stays
        tokens.append(tok)
        repl = rs.abbreviations.get(core)
        if repl is not None and core:
            low = low.replace(core, repl, 1)
        offsets.append(pos)
        norm.append(low)
        pos += len(low) + 1
    return " ".join(norm), tokens, offsets


def _token_at(offsets: list[int], char: int) -> int:
    lo, hi = 0, len(offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if offsets[mid] <= char:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _negated(norm_tokens: list[str], start_token: int, rs: RuleSet) -> bool:
    before = norm_tokens[max(0, start_token - rs.negation_window):start_token]
    return any(_core(t) in rs.negations for t in before)


def _about_others(norm_tokens: list[str], start_token: int, rs: RuleSet) -> bool:
    """"selamat buat yang sudah kerja", "kalau mau kerja di ...": not the sender's status."""
    before = norm_tokens[max(0, start_token - rs.others_window):start_token]
    return any(_core(t) in rs.others for t in before)


def _employer(tokens: list[str], norm_tokens: list[str], first: int, rs: RuleSet,
              rule: Rule) -> str | None:
    """The name after "di"/"buka" in the original spelling, up to a stop word or comma."""
    out: list[str] = []
    for i in range(first, min(len(tokens), first + 8)):
        core = _core(norm_tokens[i])
        if not core or core in rs.stop_words:
            break
        if not any(ch.isalnum() for ch in tokens[i]):
            break  # an emoji or a lone dash
        out.append(tokens[i])
        tail = norm_tokens[i][len(norm_tokens[i].rstrip(_PUNCT)):]
        if any(ch in _TERMINATORS for ch in tail):
            break
        if "." in tail and core not in rs.legal_prefixes:
            break
    if not out:
        return "\x00" if rule.business_words else None  # "buka bu": nothing was opened
    name = " ".join(out).strip(_PUNCT + " ")
    if rule.business_words:
        words = name.casefold().split()
        if not any(" ".join(words[:k]) in rule.business_words for k in (1, 2)):
            return "\x00"  # not a business: the rule does not apply
        if len(words) > 1 and words[0] in ("usaha", "bisnis"):
            name = name.split(" ", 1)[1]
    key = header_key(name)
    if not key or key in rs.not_employers or key in _place_names():
        return None
    return name


@dataclass
class _Hit:
    rule: Rule
    employer: str | None


def classify_text(text: str, rs: RuleSet | None = None) -> tuple[list[_Hit], bool]:
    """Rule hits of one message, and whether it was ignored as a question/announcement."""
    rs = rs or load_rules()
    norm, tokens, offsets = _normalize(text, rs)
    if not norm or not rs.prefilter.search(norm):
        return [], False
    # A status reply may end with a question ("sudah kerja, ada loker lain?"): the
    # hits are kept, and the model weighs the question.
    question = bool(rs.ignore.search(norm))
    norm_tokens = norm.split(" ")
    hits: list[_Hit] = []
    for rule in rs.rules:
        if rule.prefilter is not None and not rule.prefilter.search(norm):
            continue
        for pattern in rule.patterns:
            found = None
            for m in pattern.finditer(norm):
                start_tok = _token_at(offsets, m.start())
                if rule.negatable and _negated(norm_tokens, start_tok, rs):
                    continue
                if _about_others(norm_tokens, start_tok, rs):
                    continue
                employer = None
                if "tempat" in pattern.groupindex and m.group("tempat"):
                    employer = _employer(tokens, norm_tokens, _token_at(offsets, m.start("tempat")),
                                         rs, rule)
                    if employer == "\x00":
                        continue
                found = _Hit(rule, employer)
                break
            if found is not None:
                hits.append(found)
                break
    return hits, question


@lru_cache(maxsize=65536)
def _classify_cached(text: str) -> tuple[list[_Hit], bool]:
    # Group chats repeat short replies ("belum kerja", "mantap"); read each text once.
    return classify_text(text)
