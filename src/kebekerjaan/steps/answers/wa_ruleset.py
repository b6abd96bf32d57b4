"""The rules of data/aturan_wa.toml as the reader uses them, compiled once (RuleSet,
load_rules), and the normalisation every message gets before it is read (normalize):
English phrases, abbreviations and common misspellings, drawn-out letters, particles, all
caps. wa_rules.py reads a normalised message clause by clause; wa_subject.py says whom a
clause is about."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from kebekerjaan.io import wilayah
from kebekerjaan.io.normalize.text import header_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["COMMON_WORDS_FILE", "MEMO_LIMIT", "REFUSAL", "RULES_FILE", "Rule", "RuleSet", "common_words",
           "core_of", "load_rules", "memo_of", "misspellings", "normalize", "rules_table"]


# The rules' label for a refusal (rule menolak_survei): not a survey status, and no state
# of a time either, so a status beside it never makes it a past one.
REFUSAL = "menolak"
PLACE = "{tempat}"
PUNCT = ".,;:!?\"'()[]{}<>*~_"
_REPEAT = re.compile(r"([a-z])\1{2,}")
TERMINATORS = ",;!?:)\"'"
CLAUSE_END = ".;!?,:"
FIRST_WORD = re.compile(r"[\W\d_]*([^\W\d_]+)")
_WORD = re.compile(r"[a-z]+")
_NUMBERED = re.compile(r"^([a-z]+)2([a-z]*)$")  # "cari2", "kecil2an": a repeated word


@dataclass(frozen=True)
class Rule:
    id: str
    status: str
    confidence: float
    patterns: tuple[re.Pattern, ...]
    negatable: bool
    description: str
    business_words: frozenset[str] = frozenset()
    # Per pattern, words one of which each match holds (None: no such words known).
    needs: tuple[frozenset[str] | None, ...] = ()
    clause_free: bool = False  # true: not read per clause (a status word opening a reply)
    weak: bool = False  # only says what the sender is not ("belum kerja"): another status wins


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    abbreviations: dict[str, str]
    phrases: re.Pattern  # every [phrases] pattern, one named group each
    phrase_words: tuple[tuple[str, ...], frozenset[str]]  # see _phrase_words
    phrase_text: dict[str, str]  # group name -> its replacement
    negations: frozenset[str]
    negation_window: int
    negation_breaks: frozenset[str]
    particles: frozenset[str]
    others: frozenset[str]
    others_window: int
    self_words: frozenset[str]
    report_words: frozenset[str]  # "saya [mau] kabarkan teman saya ...": news of someone else
    object_words: frozenset[str]  # "mengurus anak saya", "dengan suami": the relative is an object
    relation_words: frozenset[str]  # "kakak ipar": a relative, not a word of address
    class_roles: frozenset[str]  # "sekretaris kelas ...": someone of the class
    people: frozenset[str]
    possessives: frozenset[str]
    person_pronouns: frozenset[str]
    past_words: frozenset[str]
    present_words: frozenset[str]
    future_words: frozenset[str]
    past_only_words: frozenset[str]  # "pernah kerja di X" with nothing of now: no status yet
    wish_words: frozenset[str]  # "kalau / someday / pengen ...": a case supposed or wished
    now_words: frozenset[str]  # "sekarang", "masih", "sudah": a state of now is told
    conjunctions: frozenset[str]
    signals: tuple[tuple[str, re.Pattern], ...]
    lexicon: dict[str, str]  # key word (or two words) -> the status it leans to
    stop_words: frozenset[str]
    legal_prefixes: frozenset[str]
    not_employers: frozenset[str]
    ignore: re.Pattern
    needed_words: tuple[str, ...]  # every word of the rules' `needs` (index reads the rules)
    work_words: re.Pattern  # a reply mentioning these is reviewed, never dropped, when unclear
    proxy: re.Pattern  # the sender writes for someone else ("saya kakaknya"): not their status
    news_words: frozenset[str]  # "Kata mamanya, Selvi lagi kuliah": news of someone named
    # Words the training replies write in lower case within a sentence (data/wa_kata_umum.txt,
    # made by scripts/train_wa_model.py): a capitalised one opening a reply is no name.
    common_words: frozenset[str]
    given_names: frozenset[str]  # "Dedi alumni TIK sudah diterima ...": someone named
    sale_words: frozenset[str]  # "saya jual HP bekas, nego": one thing for sale, no business
    asking_words: frozenset[str]  # "kerja di Korea lewat program apa?": a question about work
    statement_words: frozenset[str]  # "sudah kerja di X, kah?": a statement even so
    generic_words: frozenset[str]  # "kerja di tambang memang enak": work in general
    supposing_words: frozenset[str]  # "kalau saya kerja di luar daerah, ...?": a case asked about
    advising_words: frozenset[str]  # "Pilih 'belum memungkinkan' bu": advice, no status
    topic_words: frozenset[str]  # "kerja di hotel itu senyum wajib": work as a topic
    intro_words: frozenset[str]  # "Asrul otomotif 2023: blm kerja": the sender introducing themself
    both_words: frozenset[str]  # "kerja di X, kuliah juga": two statuses held at once
    address_words: frozenset[str]  # "Pak", "Kak": opening a clause, a greeting, not its subject
    name_titles: frozenset[str]  # before a given name: address_words, "La", "Wa", "itu"
    naming_words: frozenset[str]  # "si Budi", "namanya Ilham": someone named follows
    name_fields: frozenset[str]  # "Nama:" of a form: the name after it is the sender's
    # A reply's wrapper (reply_core): greetings, "izin menjawab", roll calls, thanks.
    sure_openings: re.Pattern  # "Assalamualaikum ...": an opening even with no comma after it
    openings: re.Pattern  # "Pagi pak, ...": an opening only before a comma or a word of address
    greeting_addressees: frozenset[str]  # "Selamat pagi bapak ibu semua, ...": part of the greeting
    closings: re.Pattern  # "..., terima kasih pak 🙏" at the end
    introduction_words: frozenset[str]  # "(Las angkatan 2)": with intro_words, names, numbers
    introduction_fillers: frozenset[str]  # "dari", "Kendari": in an introduction, not one alone
    form_answers: frozenset[str]  # "2. Status: Bekerja": a form's status field, normalised
    form_heads: frozenset[str]  # their first words: "pilih bekerja" is advice (advising_words)
    sale_status: str  # the status sale_words take away ("jual HP bekas" is no business)
    # Made from the fields above, so that a RuleSet made with dataclasses.replace has its own.
    index: _PatternIndex = field(init=False, repr=False, compare=False)
    # What was worked out per token (see memo_of), each entry beside the fields it came from.
    memo: dict = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        searches = {"ignore": self.ignore, "proxy": self.proxy, "work_words": self.work_words,
                    **{f"signal_{name}": pattern for name, pattern in self.signals}}
        object.__setattr__(self, "index", _PatternIndex(self.rules, searches))


# Entries each per-token cache keeps at most (here and in model.py): words repeat across
# a chat, and a new one costs little to work out again.
MEMO_LIMIT = 200_000


class _PatternIndex:
    """Which rule patterns a text can match, and which searches of it (`searches`: the
    question marks, the signals...) can find something, from the words their matches
    need (Rule.needs; _needs of each top-level alternative of a search). Each pattern and
    each alternative is a bit; a needed word in the text switches on those that need it,
    and those without needed words are always on. A needed word never holds a space, so
    it lies inside one token of the text: what a token switches on is worked out once per
    distinct token."""

    def __init__(self, rules: tuple[Rule, ...], searches: dict[str, re.Pattern]) -> None:
        pairs = [(k, rule, pattern, need) for k, rule in enumerate(rules)
                 for pattern, need in zip(rule.patterns, rule.needs)]
        needs: list[frozenset[str] | None] = [need for *_, need in pairs]
        self.rule_bits = (1 << len(pairs)) - 1
        # (rule's position, rule, pattern, bits of the other sets of words its matches
        # need: "cari kerja" needs "cari" besides "kerja"), in rule order
        patterns = []
        for k, rule, pattern, need in pairs:
            also = 0
            for words in _required_sets(pattern.pattern) if need is not None else ():
                if words != need:
                    also |= 1 << len(needs)
                    needs.append(frozenset(words))
            patterns.append((k, rule, pattern, also))
        self.patterns: tuple[tuple[int, Rule, re.Pattern, int], ...] = tuple(patterns)
        # A search finds something when one of its top-level alternatives does: of each,
        # (bit, needed words or None, the alternative alone)
        self.searches: dict[str, tuple[tuple[int, tuple[str, ...] | None, re.Pattern], ...]] = {}
        self.search_bits: dict[str, int] = {}
        for name, pattern in searches.items():
            parts = []
            for alt in _split_top(pattern.pattern):
                need = _needs(alt)
                parts.append((1 << len(needs), need and tuple(sorted(need)),
                              re.compile(alt, pattern.flags)))
                needs.append(need)
            self.searches[name] = tuple(parts)
            self.search_bits[name] = _union(bit for bit, _, _ in parts)
        needing: dict[str, int] = {}
        self.always = 0
        for bit, need in enumerate(needs):
            if need is None:
                self.always |= 1 << bit
            for word in need or ():
                needing[word] = needing.get(word, 0) | 1 << bit
        words = sorted(needing)
        # The finder gives the longest needed word starting at each place of a token; the
        # shorter ones starting there, or inside it, are inside that one ("kerja" in
        # "bekerja"), so each word found switches on the patterns of every word inside it.
        self.inside = {w: _union(needing[v] for v in words if v in w) for w in words}
        self.finder = re.compile(f"(?=({_trie(words)}))") if words else None
        self.tokens: dict[str, int] = {}

    def finds(self, name: str, text: str, bits: int) -> bool:
        """Whether search `name` finds something in `text`, whose candidates() are `bits`."""
        if bits & self.search_bits[name]:
            for bit, _, part in self.searches[name]:
                if bits & bit and part.search(text):
                    return True
        return False

    def finds_in(self, name: str, text: str) -> bool:
        """finds() in a text met once (its words looked for as they are)."""
        return any(part.search(text) for _, need, part in self.searches[name]
                   if need is None or any(map(text.__contains__, need)))

    def candidates(self, norm_tokens: list[str]) -> int:
        """The bits of the patterns and search alternatives that can match a text made of
        `norm_tokens` (the text split at spaces)."""
        mask, tokens, inside, finder = self.always, self.tokens, self.inside, self.finder
        for tok in norm_tokens:
            bits = tokens.get(tok)
            if bits is None:
                bits = _union(inside[w] for w in finder.findall(tok)) if finder else 0
                if len(tokens) < MEMO_LIMIT:
                    tokens[tok] = bits
            mask |= bits
        return mask


def _union(masks) -> int:
    out = 0
    for m in masks:
        out |= m
    return out


def _trie(words: list[str]) -> str:
    """A regular expression matching the longest of `words` that starts where it is
    tried (one branch per next letter, a longer word before its prefix)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternatives(node: dict) -> str:
        branches = [re.escape(ch) + alternatives(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return alternatives(root)


def _compile(pattern: str) -> re.Pattern:
    body = pattern.replace(PLACE, r"(?P<tempat>\S.*)")
    tail = "" if PLACE in pattern else r"(?!\w)"
    return re.compile(rf"(?<!\w)(?:{body}){tail}")


def _needs(pattern: str) -> frozenset[str] | None:
    """Words (3+ letters) one of which every match of `pattern` holds as a substring, read
    from the regular expression; None when it cannot tell. A text holding none of them is
    not searched with the pattern: most chit-chat is passed over at once."""
    words = _required_words(pattern)
    return frozenset(words) if words else None


def _split_top(p: str) -> list[str]:
    """The alternatives of a regular expression at its top level."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(p):
        ch = p[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(p[start:i])
            start = i + 1
        i += 1
    out.append(p[start:])
    return out


def _more_specific(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """Of two sets of needed words, the one whose shortest word is longer."""
    if a is None:
        return b
    if b is None:
        return a
    return b if min(map(len, b)) > min(map(len, a)) else a


def _required_words(p: str) -> set[str] | None:
    """Words (3+ letters) one of which every match of regex `p` holds as a substring, or
    None when no such set can be read from it: the most specific of _required_sets(p)."""
    best: set[str] | None = None
    for words in _required_sets(p):
        best = _more_specific(best, words)
    return best


def _required_sets(p: str) -> list[set[str]]:
    """Sets of words (3+ letters), every match of regex `p` holding one word of each as a
    substring, as far as they can be read from it: each word of its literal runs and the
    sets of its required groups, in order; of an alternation one set, of each alternative
    the most specific (none when an alternative has none)."""
    alts = _split_top(p)
    if len(alts) > 1:
        out: set[str] = set()
        for alt in alts:
            words = _required_words(alt)
            if words is None:
                return []
            out |= words
        return [out]
    sets: list[set[str]] = []
    run, i, n = "", 0, len(p)
    while i < n:
        ch = p[i]
        if ch in "\\[(.^$+{" and not p.startswith("{0,", i):
            sets += _run_words(run)  # a literal run ends here
            run = ""
        if ch == "\\":
            i += 2
        elif ch == "[":
            j = i + 1
            while j < n and p[j] != "]":
                j += 2 if p[j] == "\\" else 1
            i = _skip_quant(p, j + 1)
        elif ch == "(":
            depth, j = 1, i + 1
            while j < n and depth:
                if p[j] == "\\":
                    j += 2
                    continue
                depth += (p[j] == "(") - (p[j] == ")")
                j += 1
            inner = p[i + 1:j - 1]
            optional = j < n and (p[j] in "?*" or p[j:j + 3] == "{0,")
            if not optional and not inner.startswith(("?=", "?!", "?<=", "?<!")):
                if inner.startswith("?:"):
                    inner = inner[2:]
                elif inner.startswith("?P<"):
                    inner = inner[inner.index(">") + 1:]
                sets += _required_sets(inner)
            i = _skip_quant(p, j)
        elif ch in "?*" or p[i:i + 3] == "{0,":
            run = run[:-1] + " "  # the run's last character is optional
            i = _skip_quant(p, i)
        elif ch == "{":
            i = _skip_quant(p, i)
        elif ch in ".^$+":
            i += 1
        else:
            run += ch
            i += 1
    return sets + _run_words(run)


def _run_words(run: str) -> list[set[str]]:
    """Each word (3+ letters or digits) of a literal run: all of them are needed."""
    return [{w} for w in re.findall(r"[a-z0-9]+", run) if len(w) >= 3]


def _skip_quant(p: str, i: int) -> int:
    if i < len(p) and p[i] == "{":
        j = p.find("}", i)
        i = j + 1 if j >= 0 else i + 1
    while i < len(p) and p[i] in "?*+":
        i += 1
    return i


def _phrase_words(phrases: dict[str, str]) -> tuple[tuple[str, ...], frozenset[str]]:
    """A literal that every match of each alternative of each [phrases] pattern holds: the
    longest one outside any group. Long ones are looked for as substrings, short ones
    ("i", "my") as whole words: a text holding none has no phrase to rewrite."""
    long, short = set(), set()
    for pattern in phrases:
        for alt in _split_top(pattern):
            bare = alt
            while True:
                stripped = re.sub(r"\([^()]*\)[?*]?", " ", bare)
                if stripped == bare:
                    break
                bare = stripped
            found = re.findall(r"[a-z]+", bare.replace(".?", " "))
            # Outside any group, one literal is enough; an alternative made only of
            # groups needs every literal inside them.
            for word in [max(found, key=len)] if found else re.findall(r"[a-z]+", alt):
                (long if len(word) >= 3 else short).add(word)
    return tuple(sorted(long)), frozenset(short)




def misspellings(word: str) -> set[str]:
    """Spellings one slip away from `word` as people type on a phone: a letter left out,
    two neighbours swapped, a letter doubled. The first letter is kept: slips there are
    rare and would collide with other words."""
    out = set()
    for i in range(1, len(word)):
        out.add(word[:i] + word[i + 1:])
        if i + 1 < len(word):
            out.add(word[:i] + word[i + 1] + word[i] + word[i + 2:])
        out.add(word[:i] + word[i] + word[i:])
    out.discard(word)
    return {w for w in out if len(w) >= 4}


def _typo_map(text: dict, abbreviations: dict[str, str]) -> dict[str, str]:
    """misspelling -> word, for the key words of [text] typo_words: only spellings that
    are no other known word (a key word, an abbreviation, or listed in typo_exclude)."""
    targets = [w.casefold() for w in text.get("typo_words", ())]
    known = set(targets) | set(abbreviations) | set(abbreviations.values())
    known |= {w.casefold() for w in text.get("typo_exclude", ())}
    out: dict[str, str] = {}
    clash: set[str] = set()
    for word in targets:
        for wrong in misspellings(word):
            if wrong in known:
                continue
            if wrong in out and out[wrong] != word:
                clash.add(wrong)  # one slip from two key words: leave it alone
            out[wrong] = word
    return {k: v for k, v in out.items() if k not in clash}


RULES_FILE = "data/aturan_wa.toml"


@cache
def rules_table() -> dict:
    """data/aturan_wa.toml as read (tables in file order: [phrases] is tried in order)."""
    raw = resources.files("kebekerjaan").joinpath(RULES_FILE).read_text(encoding="utf-8")
    return tomllib.loads(raw)


@cache
def load_rules() -> RuleSet:
    """The shipped rules, read and compiled once."""
    data = rules_table()
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
            needs=tuple(_needs(_compile(p).pattern) for p in r["patterns"]),
            clause_free=bool(r.get("clause_free", False)),
            weak=bool(r.get("weak", False)),
        )
        for r in data["rule"]
    )
    abbreviations = {k.casefold(): v for k, v in text["abbreviations"].items()}
    typos = _typo_map(text, abbreviations)
    return RuleSet(
        rules=rules,
        abbreviations={**typos, **abbreviations},
        phrases=_phrases(data.get("phrases", {})),
        phrase_text={f"p{i}": repl for i, repl in enumerate(data.get("phrases", {}).values())},
        phrase_words=_phrase_words(data.get("phrases", {})),
        negations=frozenset(text["negations"]),
        negation_window=int(text["negation_window"]),
        negation_breaks=frozenset(text.get("negation_breaks", ())),
        particles=frozenset(text.get("particles", ())),
        others=frozenset(text.get("others_words", ())),
        others_window=int(text.get("others_window", 0)),
        self_words=frozenset(text.get("self_words", ())),
        report_words=frozenset(text.get("report_words", ())),
        object_words=frozenset(text.get("object_words", ())),
        relation_words=frozenset(text.get("relation_words", ())),
        class_roles=frozenset(text.get("class_roles", ())),
        people=frozenset(text.get("people_words", ())),
        possessives=frozenset(text.get("possessive_words", ())),
        person_pronouns=frozenset(text.get("person_pronouns", ())),
        past_words=frozenset(text.get("past_words", ())),
        present_words=frozenset(text.get("present_words", ())),
        future_words=frozenset(text.get("future_words", ())),
        past_only_words=frozenset(text.get("past_only_words", ())),
        wish_words=frozenset(text.get("wish_words", ())),
        now_words=frozenset(text.get("present_words", ())) | frozenset(text.get("now_words", ())),
        conjunctions=frozenset(text.get("clause_words", ())),
        signals=tuple((name, re.compile("|".join(f"(?:{p})" for p in pats)))
                      for name, pats in data.get("signals", {}).items()),
        lexicon={w: status for status, words in data.get("lexicon", {}).items() for w in words},
        stop_words=frozenset(text["stop_words"]),
        legal_prefixes=frozenset(text["legal_prefixes"]),
        not_employers=frozenset(header_key(w) for w in text["not_employers"]),
        ignore=re.compile("|".join(f"(?:{p})" for p in text["ignore_patterns"])),
        needed_words=tuple(sorted({w for r in rules for need in r.needs for w in need or ()})),
        work_words=re.compile(r"(?<!\w)(?:" + "|".join(text["work_words"]) + ")"),
        proxy=_proxy(text),
        news_words=frozenset(text.get("news_words", ())),
        common_words=frozenset(_common_words()),
        given_names=frozenset(w.casefold() for w in text.get("given_names", ())),
        sale_words=frozenset(text.get("sale_words", ())),
        asking_words=frozenset(text.get("asking_words", ())),
        statement_words=frozenset(text.get("statement_words", ())),
        generic_words=frozenset(text.get("generic_words", ())),
        supposing_words=frozenset(text.get("supposing_words", ())),
        advising_words=frozenset(text.get("advising_words", ())),
        topic_words=frozenset(text.get("topic_words", ())),
        intro_words=frozenset(text.get("intro_words", ())),
        both_words=frozenset(text.get("both_words", ())),
        address_words=frozenset(text.get("address_words", ())),
        name_titles=frozenset(text.get("address_words", ())) | frozenset(text.get("name_titles", ())),
        naming_words=frozenset(text.get("naming_words", ())),
        name_fields=frozenset(text.get("name_fields", ())),
        sure_openings=_opening(text.get("sure_openings", ())),
        openings=_opening(text.get("openings", ())),
        greeting_addressees=frozenset(text.get("greeting_addressees", ())),
        introduction_words=frozenset(text.get("introduction_words", ())),
        introduction_fillers=frozenset(text.get("introduction_fillers", ())),
        form_answers=frozenset(text.get("form_answers", ())),
        form_heads=frozenset(a.split()[0] for a in text.get("form_answers", ())),
        closings=_closing(text.get("closings", ()),
                          [*text.get("closing_words", ()), *text.get("greeting_addressees", ())]),
        sale_status=text.get("sale_status", ""),
    )


def _closing(patterns, words) -> re.Pattern:
    """One of `patterns` closing a text, with any of `words` after it, then emoji or
    punctuation only."""
    tail = "|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)"
    return re.compile(r"[\s,.!;:\-–—]+(?:" + "|".join(patterns or ["(?!)"]) + r")(?:[\s,]+(?:"
                      + tail + r")(?!\w))*[\s\W_]*$", re.I)


def _opening(patterns) -> re.Pattern:
    """One of `patterns` opening a text (after emoji or punctuation), as a whole word."""
    return re.compile(r"[^\w@]*(?:" + "|".join(patterns or ["(?!)"]) + r")(?!\w)", re.I)


COMMON_WORDS_FILE = "data/wa_kata_umum.txt"
# What is stripped off a word's edges, both when the list of common words is made and when
# a word is looked up in it (curly quotes, ellipses and dashes too).
WORD_EDGE = PUNCT + "“”‘’…/-"


def common_words(texts, given_names=frozenset()) -> list[str]:
    """RuleSet.common_words as scripts/train_wa_model.py makes them from the training
    replies: every word a reply writes in lower case after its first word (a name is
    seldom written so), common given names left out ("rahmat sdh kerja" does not make
    "Rahmat" a word)."""
    seen = {w for text in texts for w in (t.strip(WORD_EDGE) for t in str(text).split()[1:])
            if len(w) > 1 and w.isalpha() and w.islower()}
    return sorted(seen - set(given_names))



def _common_words() -> list[str]:
    """RuleSet.common_words, one per line (lines opening with "#" are comments)."""
    path = resources.files("kebekerjaan").joinpath(COMMON_WORDS_FILE)
    if not path.is_file():
        return []  # only before train_wa_model.py first writes it: no word is known common
    return [w for w in path.read_text(encoding="utf-8").split("\n") if w and not w.startswith("#")]


def _phrases(phrases: dict[str, str]) -> re.Pattern:
    """Every [phrases] pattern, tried in order at the start of a word, each ending in an
    empty group named after it (the match's lastgroup says which one matched). The
    word-start test comes once before all of them: the same matches as each alternative
    testing it itself, without trying every alternative inside words; and an
    alternative opening with a letter is passed over at once where another letter
    stands (see _lower_case)."""
    alts = "|".join(rf"(?:{p})(?![\w'])(?P<p{i}>)" for i, p in enumerate(phrases))
    return re.compile(rf"(?<![\w'])(?:{alts})" if alts else r"(?!x)x", re.I)


def _lower_case(pattern: re.Pattern) -> re.Pattern | None:
    """`pattern` without re.I, for lower-case text: the same matches in a text whose
    letters beyond ASCII have no case (see _caseless_beyond_ascii), found faster (the
    regular expression engine skips an alternative opening with another letter at once
    only without re.I). None when the pattern holds a capital letter itself."""
    letters = re.sub(r"\\.|\(\?P[<=]", "", pattern.pattern)  # escapes and group names aside
    if not pattern.flags & re.I or any(map(str.isupper, letters)):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.I)


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _caseless_beyond_ascii(text: str) -> bool:
    """Whether lower() changes only ASCII letters of `text` (and so keeps its length),
    and no other character of it matches an ASCII letter under re.I ("K", the Kelvin
    sign; "\u017f", long s)."""
    return text.isascii() or all(c.lower() == c == c.upper()
                                 for c in "".join(_NON_ASCII.findall(text)))


def _proxy(text: dict) -> re.Pattern:
    """"Saya kakaknya", "ini ibunya Nurul", "dia minta saya sampaikan": the sender
    answers for a relative or friend ([text] proxy_patterns, {orang} = people_words)."""
    people = "|".join(re.escape(w) for w in sorted(text.get("people_words", ()), key=len,
                                                    reverse=True))
    pats = [p.replace("{orang}", f"(?:{people})") for p in text.get("proxy_patterns", ())]
    return re.compile("|".join(f"(?:{p})" for p in pats) or r"(?!x)x")


@cache
def place_names() -> frozenset[str]:
    """header_key of every kab/kota name without its KABUPATEN/KOTA prefix, and provinces."""
    tables = wilayah.tables()
    names = set()
    for arr in (tables.kabkota_name, tables.prov_name):
        for name in arr:
            if name:
                bare = re.sub(r"^(?:kabupaten|kab\.?|kota)\s+", "", str(name), flags=re.I)
                names.add(header_key(bare))
    return frozenset(names)


def core_of(token: str) -> str:
    """A token without the punctuation around it."""
    return token.strip(PUNCT)


def _rewrite(text: str, rs: RuleSet) -> str:
    """English and other multi-word phrasings in the words the rules are written in."""
    text = text.replace("\u2019", "'").replace("\n", " . ")
    low = text.casefold()
    long, short = rs.phrase_words
    # Whether one of `long` is in the text, found in one pass (a regular expression made
    # of them as a tree: from each place, only the branch of the letter found there).
    holds_long = memo_of(rs, "phrase_words", (rs.phrase_words,),
                       lambda: re.compile(_trie(sorted(long))).search if long else lambda _: None)
    if holds_long(low) is not None or not short.isdisjoint(_WORD.findall(low)):
        lower = memo_of(rs, "phrases", (rs.phrases,), lambda: _lower_case(rs.phrases))
        if lower is None or not _caseless_beyond_ascii(text):
            return rs.phrases.sub(lambda m: rs.phrase_text[m.lastgroup], text)
        # The same matches in the lower-case text; the text between them kept as written.
        found: list[tuple[int, int, str]] = []
        lower.sub(lambda m: found.append((m.start(), m.end(), m.lastgroup)) or "", text.lower())
        if found:
            out, last = [], 0
            for start, end, name in found:
                out += (text[last:start], rs.phrase_text[name])
                last = end
            text = "".join(out) + text[last:]
    return text


# A mention: "@628...", "@Rahmat", or a name between isolates (U+2068 ... U+2069) as
# WhatsApp writes it (the chat reader takes the isolates out of an exported chat, so there
# a mention ends with its first word, or with one name after a word of address).
_MENTION = re.compile(r"\s*@(?:\u2068[^\u2069\n]*\u2069|\+?\d[\d \-]{5,}\d|~?([^\W\d_]+)\b|\S+)")
_ROMAN = re.compile(r"[ivx]{1,4}")
# The sender introducing themself: "Nama: Dewi Lestari, Las angk 3." or "Nama saya Dewi, ...".
_INTRO = re.compile(r"[^\w@]*nama(?: saya| lengkap)?(?:\s*[:=\-]\s*|\s+)(?P<rest>[^\n.;]{1,80})", re.I)
# Particles of names in Sulawesi Tenggara ("Wa Ode", "La Ode", "Andi", "Daeng", "Muh."):
# inside a mention they are the name, whatever they mean elsewhere ("wa" is WhatsApp too).
_NAME_PARTICLES = frozenset({"la", "wa", "ode", "andi", "daeng", "muh", "moh", "muhammad", "hj",
                             "h", "st", "sitti"})
# What a staff member's contact name may hold after the name ("@Rini BPVP").
_STAFF_WORDS = frozenset({"bpvp", "admin", "instruktur", "staf", "staff", "blk", "kdi", "kendari",
                          "pk", "penempatan"})
# Capitalised words a mention's contact name may have (the export drops where it ends).
_MENTION_NAMES = 4
_TOKEN_AT = re.compile(r"[\s/&]*([^\s/&]+)")
_AFTER_OPENING = re.compile(r"[^\w@(\[\"'“‘]*")
_LETTER = re.compile(r"[^\W\d_]")


def reply_core(text: str, rs: RuleSet | None = None) -> str:
    """`text` without what wraps the answer in a group chat: the @mentions, greetings,
    "izin menjawab" and roll calls it opens with, and the thanks it closes with
    (aturan_wa.toml's `sure_openings`, `openings`, `closings`). A greeting weighs as
    chit-chat and a mention as someone named, so "@Bu Rini Assalamualaikum, sdh kerja di
    PT X, makasih" is read as "sdh kerja di PT X". A text that is all wrapper is kept as
    it is ("Assalamualaikum, selamat pagi")."""
    rs = rs or load_rules()
    rest = _in_sentence_case(text, rs)
    rest = _form_answer(rest, rs) or rest
    rest = _after_pivot(rest, rs)
    for _ in range(3):  # "Yth. Bapak/Ibu. Perkenalkan saya Nur, Tata Rias 2023. Izin melapor ..."
        while rest and (cut := _opening_end(rest, rs)):
            rest = rest[cut:]
        for _ in range(3):
            m = rs.closings.search(rest) or _wish_tail(rest, rs)
            if m is None or not _LETTER.search(rest[:m.start()]):
                break
            rest = rest[:m.start()].rstrip()
        shorter = _without_introduction(rest, rs)
        if shorter == rest:
            break
        rest = shorter
    return rest if rest is not text and _LETTER.search(rest) else text


# What may close a reply after its answer, with anything after it that tells no state:
# a wish or prayer, thanks, an apology, a salute, a signature ("...\nSemoga Bapak/Ibu sehat
# selalu. Aamiin 🤲", "... 🙏🙏 makasih banyak bu sdh ditanya kabarnya, ternyata masih ingat
# ji sama kami", "... mf kl typo", "...\n\nsalam hangat,\n~ Nurul (Unaaha) ~").
_TAIL = re.compile(r"(?:^|(?<=[\s.,!?;:~\-–—]))(?:~|semoga|smoga|moga|mudah-mudahan|aamiin|amin|"
                   r"insya ?allah|barakallah\w*|jazakallah\w*|alhamdulillah|makasih\w*|"
                   r"terima ?kasih|trima ?kasih|trims|thanks|thank you|thx|tq|mksh|mks|"
                   r"(?:mohon )?maaf|mf|sorry|salam|regards|best regards|cheers|wassalam\w*|"
                   r"ttd|hormat saya|god bless|tuhan)(?!\w)", re.I)


# A part of every word _TAIL starts with, looked for before the regular expression is run.
_TAIL_KEYS = ("~", "moga", "mudah", "amin", "amiin", "insya", "allah", "alhamdu", "makasih",
              "kasih", "trims", "thank", "thx", "tq", "mksh", "mks", "maaf", "mf", "sorry",
              "salam", "regards", "cheers", "ttd", "hormat", "god bless", "tuhan")


def _wish_tail(text: str, rs: RuleSet) -> re.Match | None:
    """The closing part of `text` (_TAIL) from its first word on, when it tells no state
    (no work, negation or person: "..., semoga cepat dpt kerja" and "makasih, adik sy jg
    sdh kerja" are kept) and an answer comes before it."""
    low = text.casefold()
    if not any(key in low for key in _TAIL_KEYS):
        return None  # most replies: no closing word at all
    for m in _TAIL.finditer(text):
        if _LETTER.search(text, 0, m.start()) and _tells_no_state(text[m.start():], rs):
            return m
    return None


def _tells_no_state(part: str, rs: RuleSet, most_words: int | None = None) -> bool:
    """Whether `part` of a reply (a closing, the chat before "oh iya", the reason for a late
    answer) holds nothing of a status: no work word, key word of a status ([lexicon]:
    "Melanjutkan pendidikan S2"), negation or person other than the staff addressed
    ("Semoga ibu sehat": "ibu" is the staff; "thank you": "you" is too), and at most
    `most_words` words."""
    norm = _THANK_YOU.sub(" ", normalize(part, rs)[0])
    words = [w.strip(PUNCT) for w in norm.split() if _LETTER.search(w)]
    return not (most_words is not None and len(words) > most_words
                or rs.work_words.search(norm)
                or any(w in rs.lexicon or w in rs.negations or w in rs.person_pronouns
                       or w in rs.people and w not in rs.address_words for w in words))


_THANK_YOU = re.compile(r"(?<!\w)(?:thank|thanks) (?:you|u)(?!\w)")


# Words of capitals, or of anything else.
_CASED_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _in_sentence_case(text: str, rs: RuleSet) -> str:
    """A reply typed in capitals as it would be typed in sentence case, so that names
    stand out again: each word the training replies write in lower case in lower case,
    every other word capitalised ("ITU RINA YG TATA BOGA SDH KERJA" -> "Itu Rina yg tata
    boga sdh kerja"). Other replies as they are."""
    upper = sum(map(str.isupper, text))  # counted in C: this runs on every reply
    if upper < 8 or upper < 0.9 * sum(map(str.isalpha, text)):
        return text

    def word(m: re.Match) -> str:
        w = m.group()
        return w.lower() if w.casefold() in rs.common_words else w.capitalize()
    out = _CASED_WORD.sub(word, text)
    first = _LETTER.search(out)
    return out[:first.start()] + out[first.start()].upper() + out[first.start() + 1:]


# What parts an introduction: "Wulan, garmen angk. 4 - ", "(Las angkatan 2)".
_INTRO_SEP = re.compile(r"[,.:;\n()\[\]]|\s[-–—/|]\s")
_INTRO_TOKEN = re.compile(r"[^\s,.:;()\[\]/|–—-]+")


def _without_introduction(text: str, rs: RuleSet) -> str:
    """`text` without the sender's introduction before or after the answer: the most
    parts (between commas, full stops, brackets, dashes) at its start, or at its end,
    made only of names, numbers, kejuruan and batch words (intro_words,
    introduction_words), one of them at least no name ("Wulan, garmen angk 4, skrg
    jahit ..." -> "skrg jahit ...")."""
    words = {w.casefold() for w in _INTRO_TOKEN.findall(text)}
    if rs.intro_words.isdisjoint(words) and rs.introduction_words.isdisjoint(words):
        return text  # no word of an introduction: most replies
    cuts = [0, *(p for m in _INTRO_SEP.finditer(text) for p in (m.start(), m.end())), len(text)]
    parts = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]  # between separators
    head = _introduction_end(text, parts[:-1], rs, forward=True)
    if head is not None and _LETTER.search(text, head):
        return text[_AFTER_OPENING.match(text, head).end():]
    tail = _introduction_end(text, parts[:0:-1], rs, forward=False)
    if tail is not None and _LETTER.search(text, 0, tail):
        return text[:tail].rstrip(" ,.:;-–—/|([\n")
    return text


def _introduction_end(text: str, parts, rs: RuleSet, forward: bool) -> int | None:
    """Going through `parts` (spans of `text`) in their order, where the longest run of
    them that is an introduction ends (`forward`), or starts (going backwards), or None.
    At most 16 words: an introduction is short ("sy Arjun Saputra alumni kejuruan Las
    angkatan 2 thn 2023" is 10)."""
    words, told, end = 0, False, None
    for a, b in parts:
        for word in _INTRO_TOKEN.findall(text, a, b):
            if not any(c.isalnum() for c in word):
                continue  # an emoji between the parts ("Sir 🙏 Fadli here")
            words += 1
            key = word.casefold()
            if key in rs.intro_words or key in rs.introduction_words:
                told = True
            elif not (key in rs.introduction_fillers or word.isdigit() and len(word) <= 4
                      or _ROMAN.fullmatch(key) or _name_like(word, rs)):
                return end
            if words > 16:
                return end
        if told:
            end = b if forward else a
    return end


def _opening_end(text: str, rs: RuleSet) -> int | None:
    """Where the answer starts after one opening of `text` (a mention, a greeting, the
    sender's introduction), or None."""
    m = _MENTION.match(text)
    intro = _INTRO.match(text)
    if intro:
        # "Nama: Dewi Lestari, Las angk 3. Sdh kerja ...": up to the end of the sentence, or
        # to the first comma when the sentence goes on to the answer ("Nama: Dewi, kerja ...").
        whole = intro.group("rest")
        first = whole.split(",")[0]
        part = whole if not (rs.work_words.search(whole.casefold())
                             or "status" in whole.casefold()) else first
        if rs.work_words.search(part.casefold()) or "status" in part.casefold():
            return None
        return _AFTER_OPENING.match(text, intro.start("rest") + len(part)).end()
    if not m and (end := _roll_call_end(text, rs)):
        return end
    if m:
        # A mention is someone addressed: its first word is a word of address or a name,
        # and the contact name may go on ("@Andi Rahmawati Staf BPVP Kdi").
        first = (m.group(1) or "").casefold()
        start = m.end() + (text[m.end():m.end() + 1] == ".")  # "@Muh. Arsyad"
        end = _words_of_address(text, start, rs, named=bool(first), mention=True,
                                names=int(bool(first) and first not in rs.address_words
                                          and first not in _NAME_PARTICLES))
    elif m := rs.sure_openings.match(text):
        end = _words_of_address(text, m.end(), rs)
        if _INTRODUCING.match(m.group()):
            end = _introduced_end(text, end, rs)
        if _ASIDE_OPENER.match(m.group()):
            end = _aside_end(text, _AFTER_OPENING.match(text, end).end(), rs)
    elif m := rs.openings.match(text):
        end = _words_of_address(text, m.end(), rs)
        after = _AFTER_OPENING.match(text, end).group()
        if end == m.end() and not after.strip() and end < len(text):
            return None  # "Pagi kerja, malam kuliah": no opening
    else:
        return None
    return _AFTER_OPENING.match(text, end).end()


# "Ferdi pak, kuliah ...", "Kiki pak 🙏 kerja ...": one or two names, then a word of
# address and a comma or an emoji.
_ROLL_CALL = re.compile(r"\s*(?P<names>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?)\s+"
                        r"(?P<address>[^\W\d_]+)\s*(?=[,.:;!\n]|[^\w\s])")


def _roll_call_end(text: str, rs: RuleSet) -> int | None:
    """Where the answer starts after a roll call's name and word of address ("Ferdi pak,
    kuliah di Poltek": the sender answering to their name, not news of Ferdi), or None.
    Each name is capitalised, a given name or no word the replies write in lower case,
    and no spelling of a word the rules know ("Bekrja pak, di PT X" is the answer)."""
    m = _ROLL_CALL.match(text)
    if not m or m.group("address").casefold() not in rs.address_words:
        return None
    for word in m.group("names").split():
        key = word.casefold()
        if not _name_like(word, rs) or key in rs.address_words or key in rs.people \
                or key in rs.self_words or normalize(word, rs)[0] != key:
            return None  # a spelling of a word ("Blom pak, ...", "Bekrja pak, ..."), no name
    return _AFTER_OPENING.match(text, m.end()).end()


# A form answered in one message: "1. Nama: Rahmat 2. Status: Bekerja 3. ...", "Yulianti /
# bekerja / puskesmas", "Nama: Sri\nStatus: kuliah": items after a number, between slashes,
# or on lines.
_FORM_ITEM = re.compile(r"(?:^|(?<=\s))\d{1,2}\s*[.)]\s*(?=\S)|\s/\s|\n")
_FORM_LABEL = re.compile(r"\s*(?P<label>[^\W\d_][\w ]{0,24}?)\s*[:=]\s*")
_FORM_TRIM = " ,;.-"


def _form_answer(text: str, rs: RuleSet) -> str | None:
    """The status of a form answered in one message ("1. Nama: Siti 2. Status: Wirausaha
    3. Usaha: Menjahit" -> "Wirausaha"), or None when `text` is no such form: at least
    three items, exactly one of them (its label taken off) a status of `form_answers`
    (a staff prompt lists the options so: "bekerja / wirausaha / ..."). Items on lines
    alone make a form only with the label "Status:" ("Adik saya\nsudah kerja" is none)."""
    if _FORM_ITEM.search(text) is None:
        return None
    marks = list(_FORM_ITEM.finditer(text))
    if len(marks) < 2 or lists_options(text, rs):
        return None
    lines_only = all(m.group() == "\n" for m in marks)
    cuts = [0, *(p for m in marks for p in (m.start(), m.end())), len(text)]
    items, answers = 0, []
    for a, b in zip(cuts[::2], cuts[1::2]):
        label = _FORM_LABEL.match(text, a, b)
        if label:
            a = label.end()
        value = text[a:b].strip(_FORM_TRIM)
        if not value:
            continue
        items += 1
        if normalize(value, rs)[0] in rs.form_answers and not (
                lines_only and not (label and "status" in label.group("label").casefold())):
            answers.append(value)
    return answers[0] if items >= 3 and len(answers) == 1 else None


def lists_options(text: str, rs: RuleSet) -> bool:
    """Whether `text` lists the form's answers between slashes, as a staff prompt does
    ("balas: kerja / usaha / cari kerja / kuliah / lainnya"): three answers at least
    beside a slash."""
    if text.count("/") < 2:
        return False
    beside = set()  # where each answer starts
    for m in _SLASH.finditer(text):
        for name in ("before", "after"):
            word = m.group(name)
            if word and (normalize(word, rs)[0] in rs.form_heads or word.casefold() in _OPTIONS):
                beside.add(m.start(name))
    return len(beside) >= 3


# Options staff list beside the form's answers ("kerja / freelance / kuliah / masih nyari").
_OPTIONS = frozenset({"freelance", "masih", "lainnya", "lain", "other", "others", "honorer", "magang"})
_SLASH = re.compile(r"(?P<before>[^\W\d_]+)?[\s*_]*/[\s*_]*(?=(?P<after>[^\W\d_]+)?)")


# "Oh iya", "btw": the chat before it was about something else ("@Yusran 🌴 pak, foto
# profilnya baru di' 😁 gagah sekali mi. Oh iya sdh kerja ...").
_PIVOT = re.compile(r"(?:^|(?<=[\s.,!?;:]))(?:oh iya|oiya|o iya|btw|by the way|ngomong-ngomong|"
                    r"ngomong2)(?!\w)[\s,.:;!-]*", re.I)


def _after_pivot(text: str, rs: RuleSet) -> str:
    """`text` after its "oh iya" (_PIVOT), when what comes before it tells no state."""
    low = text.casefold()
    if "iya" not in low and "btw" not in low and "by the way" not in low and "ngomong" not in low:
        return text
    m = _PIVOT.search(text)
    if m is None or not _LETTER.search(text, m.end()) or not _tells_no_state(text[:m.start()], rs):
        return text
    return text[m.end():]


# An apology for answering late, laughter or an exclamation, and the aside after it ("Maaf
# baru sempat balas bu, hp lowbat dr kemarin 😅 sdh kerja ...", "Wkwk baru mau tidur
# langsung dipanggil 😴 oke, ..."): a short part with no work in it, ended by an emoji, a
# full stop or a new line, with more after it.
_ASIDE_OPENER = re.compile(r"[^\w@]*(?:(?:mohon )?(?:maaf|mf|sorry|sory|so+r+y+)|(?:wk){2,}|(?:ha){2,}|"
                      r"(?:he){2,}|(?:hi){2,}|astag\w*|waduh\w*|aduh\w*|ya ampun|wah+)\b", re.I)
_ASIDE = re.compile(r"[^.!?\n]{1,60}?(?:[.!?\n]|\s*[^\w\s,;:'’()\[\]/&@-])")


_INTRODUCING = re.compile(r"[^\w@]*(?:perkenalkan|kenalkan|perkenalan)", re.I)
_SENTENCE_PART = re.compile(r"[^,.;:\n]{1,80}[,.;:\n]")


def _introduced_end(text: str, pos: int, rs: RuleSet) -> int:
    """`pos` moved past the name and origin after "Perkenalkan" ("sy La Ode Arman dari
    Kolaka Utara,"): up to the first comma or full stop, when made only of names, numbers
    and the words of an introduction."""
    m = _SENTENCE_PART.match(text, pos)
    if not m or not _LETTER.search(text, m.end()):
        return pos
    for word in _INTRO_TOKEN.findall(text, pos, m.end() - 1):
        key = word.casefold()
        if not (key in rs.introduction_fillers or key in rs.intro_words
                or key in rs.introduction_words or word.isdigit() or key in rs.self_words
                or _name_like(word, rs) or header_key(word) in place_names() and word[:1].isupper()
                or not any(c.isalnum() for c in word)):
            return pos
    return m.end()


def _name_like(word: str, rs: RuleSet) -> bool:
    """A capitalised word that may be a name: a common given name, or no word the training
    replies write in lower case."""
    key = word.casefold()
    return word[:1].isupper() and (key in rs.given_names or key not in rs.common_words)


def _aside_end(text: str, pos: int, rs: RuleSet) -> int:
    """`pos` moved past the aside after an apology, laughter or an exclamation, when there
    is one (see _ASIDE_OPENER)."""
    m = _ASIDE.match(text, pos)
    if not m:
        return pos
    after = text[m.end():]
    if (thanks := rs.closings.search(after)) is not None:
        after = after[:thanks.start()]
    if not _LETTER.search(after) or not _tells_no_state(m.group(), rs, most_words=10):
        return pos  # nothing after it, or work, a negation, a person in it: the answer
    return _AFTER_OPENING.match(text, m.end()).end()


def _words_of_address(text: str, pos: int, rs: RuleSet, named: bool = False,
                      mention: bool = False, names: int = 0) -> int:
    """`pos` moved past the words of address after a greeting or a mention ("bapak/ibu
    semua", "Bu Rini", "@Pak Anwar BPVP"): greeting_addressees, and one given name after a
    word of address (`named`: the mention itself was one; then any capitalised word no
    reply writes in lower case). A mention's contact name may go on: up to _MENTION_NAMES
    capitalised words, name particles before its first name ("@Bu Wa Ode Nurlia"), staff
    words ("Staf BPVP Kdi"); `names`: those read already. Once a name is read, a word for a
    person or a title is the answer's ("@Rahmat Daeng Rudi buka bengkel")."""
    while True:
        m = _TOKEN_AT.match(text, pos)
        if not m:
            return pos
        word = m.group(1).rstrip(".,!:;")
        key = word.casefold()
        person = key in rs.people or key in rs.address_words
        if mention and names and (person or key.rstrip(".") in _NAME_PARTICLES):
            return pos  # "@Bu Sartika Daeng Rudi buka ...": a title starts someone else
        if mention and names and key.rstrip(".") in _STAFF_WORDS:
            pass  # "@Rini BPVP", "@Andi Rahmawati Staf BPVP Kdi": the contact name goes on
        elif key in rs.greeting_addressees and not (names and person) and (
                not mention or key in _STAFF_WORDS):
            named = key in rs.address_words or key in ("bpk", "min", "admin")
        elif (mention and named and not names and word[:1].isupper()
              and key.rstrip(".") in _NAME_PARTICLES):
            pass  # "@Bu Wa Ode Nurlia", "@Pak La Ode ...": the name goes on after them
        elif named and names < (_MENTION_NAMES if mention else 1) and word[:1].isupper() and (
                key in rs.given_names or mention and key not in rs.common_words
                and key not in rs.people and key not in rs.self_words):
            names += 1  # "@Bu Sartika": after a word of address, a mention names someone
        else:
            return pos
        pos = m.start(1) + len(word)
        if word != m.group(1):
            return pos  # "pak," ends the address


def normalize(text: str, rs: RuleSet | None = None) -> tuple[str, list[str], list[int]]:
    """(normalized text, original tokens, char offset of each token in the normalized text).

    One original token may stand for several normalized words ("irt" -> "ibu rumah
    tangga"): tokens are aligned word by word, the original repeated.
    """
    rs = rs or load_rules()
    tokens: list[str] = []
    norm: list[str] = []
    offsets: list[int] = []
    pos = 0
    text = _rewrite(str(text), rs)
    known = memo_of(rs, "parts", (rs.abbreviations, rs.particles))
    for tok in text.split():
        parts = known.get(tok)
        if parts is None:
            parts = _token_parts(tok, rs.abbreviations, rs.particles)
            if len(known) < MEMO_LIMIT:
                known[tok] = parts
        for part in parts:
            tokens.append(tok)
            offsets.append(pos)
            norm.append(part)
            pos += len(part) + 1
    return " ".join(norm), tokens, offsets


def memo_of(rs: RuleSet, name: str, sources: tuple, make=dict):
    """What `make` builds from fields `sources` of rs, kept in rs.memo; built anew when
    one of those fields is replaced (as bench_wa.py --ablations does)."""
    entry = rs.memo.get(name)
    if entry is not None:
        for made_from, source in zip(entry[0], sources):
            if made_from is not source:
                break
        else:
            return entry[1]
    entry = rs.memo[name] = (sources, make())
    return entry[1]


def _token_parts(tok: str, abbreviations: dict[str, str], particles: frozenset[str]) -> tuple[str, ...]:
    """The normalised words one token of a message stands for: none (a particle), one,
    or several ("irt" -> "ibu rumah tangga")."""
    low = tok.casefold()
    core = low.strip(PUNCT)
    known = core in abbreviations
    if not known and _REPEAT.search(core):
        # "joblesssss", "kerjaaa": drawn-out letters, as far as a known word appears.
        shorter = _REPEAT.sub(r"\1\1", core)
        shorter = shorter if shorter in abbreviations else _REPEAT.sub(r"\1", core)
        low, core = low.replace(core, shorter, 1), shorter
        known = core in abbreviations
    if not known:
        repeated = _NUMBERED.match(core)
        if repeated:  # "cari2" -> "cari", "kecil2an" -> "kecil-kecilan"
            base, tail = repeated.groups()
            plain = abbreviations.get(base, base)
            shorter = plain if not tail else f"{plain}-{plain}{tail}"
            low, core = low.replace(core, shorter, 1), shorter
            known = core in abbreviations
    if core in particles and core == low:
        return ()  # "belum pi dapat" reads "belum dapat"; a particle before a comma stays
    if known and core:
        low = low.replace(core, abbreviations[core], 1)
    return tuple(low.split(" ")) if " " in low else (low,)
