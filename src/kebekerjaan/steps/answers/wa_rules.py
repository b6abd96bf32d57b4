"""The rule reader for WhatsApp replies: data/aturan_wa.toml compiled once, each message
normalised (English phrases, abbreviations and common misspellings, drawn-out letters,
particles, all caps) and matched against the rules, then read clause by clause:

- a hit after a negation ("belum kerja") or in a wish or an address to others
  ("semoga yang masih cari kerja ...") does not count;
- a clause about someone else ("adik saya sudah kerja", "suami saya masih cari kerja",
  "my brother ...", "dia ...") is not the sender's status;
- where a past and a present state share one reply ("dulu kerja di X, sekarang buka
  usaha"), the present one counts: hits in clauses marked past ("dulu", "sempat",
  "sebelumnya") give way to hits elsewhere, and among several, clauses marked present
  ("sekarang", "kini", "now") win;
- the employer's name is read from the original spelling.

classify.py weighs the result together with the learned model (model.py), which reads
the same normalised text.
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from dataclasses import dataclass, field, fields
from functools import cache, lru_cache
from importlib import resources

from kebekerjaan.io import wilayah
from kebekerjaan.io.normalize.text import header_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Hit", "Reading", "Rule", "RuleSet", "classify_text", "core_of", "employer_at",
           "MEMO_LIMIT", "REFUSAL", "clear_caches", "common_words", "load_rules", "memo_of",
           "normalize", "normalized", "read", "rule_hits"]

# The rules' label for a refusal (rule menolak_survei): not a survey status, and no state
# of a time either, so a status beside it never makes it a past one.
REFUSAL = "menolak"
PLACE = "{tempat}"
_PUNCT = ".,;:!?\"'()[]{}<>*~_"
_REPEAT = re.compile(r"([a-z])\1{2,}")
_TERMINATORS = ",;!?:)\"'"
_CLAUSE_END = ".;!?,:"
_FIRST_WORD = re.compile(r"[\W\d_]*([^\W\d_]+)")
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
        sale_status=text.get("sale_status", ""),
    )


COMMON_WORDS_FILE = "data/wa_kata_umum.txt"
# What is stripped off a word's edges, both when the list of common words is made and when
# a word is looked up in it (curly quotes, ellipses and dashes too).
_WORD_EDGE = _PUNCT + "“”‘’…/-"


def common_words(texts, given_names=frozenset()) -> list[str]:
    """RuleSet.common_words as scripts/train_wa_model.py makes them from the training
    replies: every word a reply writes in lower case after its first word (a name is
    seldom written so), common given names left out ("rahmat sdh kerja" does not make
    "Rahmat" a word)."""
    seen = {w for text in texts for w in (t.strip(_WORD_EDGE) for t in str(text).split()[1:])
            if len(w) > 1 and w.isalpha() and w.islower()}
    return sorted(seen - set(given_names))


def _unknown_opening(tokens: list[str], rs: RuleSet) -> bool:
    """The reply opens with a capitalised word no training reply writes in lower case."""
    return (tokens[:1] != [] and tokens[0][:1].isupper()
            and tokens[0].strip(_WORD_EDGE).casefold() not in rs.common_words)


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


def core_of(token: str) -> str:
    """A token without the punctuation around it."""
    return token.strip(_PUNCT)


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
    core = low.strip(_PUNCT)
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


def _token_at(offsets: list[int], char: int) -> int:
    """The last token starting at or before `char` (offsets rise from 0)."""
    return max(0, bisect_right(offsets, char) - 1)


def _negated(norm_tokens: list[str], start_token: int, rs: RuleSet, clause_start: int) -> bool:
    for i in range(start_token - 1, max(clause_start, start_token - rs.negation_window) - 1, -1):
        word = core_of(norm_tokens[i])
        if word in rs.negations:
            return True
        if word in rs.negation_breaks or not word:
            return False  # "berhenti & buka usaha": the negation ends before "buka"
    return False


def _about_others(norm_tokens: list[str], start_token: int, rs: RuleSet,
                  clause_start: int = 0) -> bool:
    """"selamat buat yang sudah kerja", "kalau mau kerja di ...": not the sender's status.
    "saya yang masih cari kerja" is the sender's; a word of another clause is no reason."""
    lo = max(clause_start, start_token - rs.others_window)
    for i in range(lo, start_token):
        word = core_of(norm_tokens[i])
        if word in rs.others:
            if word == "yang" and i > 0 and core_of(norm_tokens[i - 1]) in rs.self_words:
                continue
            return True
    return False


def employer_at(tokens: list[str], norm_tokens: list[str], first: int, rs: RuleSet,
                business_words: frozenset[str] = frozenset()) -> str | None:
    """The name from token `first` on, in the original spelling, up to a stop word or a
    comma. With `business_words`, the name must start with one ("\\x00" when not)."""
    out: list[str] = []
    for i in range(first, min(len(tokens), first + 8)):
        core = core_of(norm_tokens[i])
        if not core or core in rs.stop_words:
            break
        if not any(ch.isalnum() for ch in tokens[i]):
            break  # an emoji or a lone dash
        if out and tokens[i] is tokens[i - 1]:
            continue  # one original word read as several
        out.append(tokens[i])
        tail = norm_tokens[i][len(norm_tokens[i].rstrip(_PUNCT)):]
        if any(ch in _TERMINATORS for ch in tail):
            break
        if "." in tail and core not in rs.legal_prefixes:
            break
    if not out:
        return "\x00" if business_words else None  # "buka bu": nothing was opened
    name = " ".join(out).strip(_PUNCT + " ")
    if business_words:
        words = name.casefold().split()
        if not any(" ".join(words[:k]) in business_words for k in (1, 2)):
            return "\x00"  # not a business: the rule does not apply
        if len(words) > 1 and words[0] in ("usaha", "bisnis"):
            name = name.split(" ", 1)[1]
    key = header_key(name)
    if not key or key in rs.not_employers or key in _place_names():
        return None
    return name


@dataclass
class Hit:
    rule: Rule
    employer: str | None
    clause: int = 0
    start: int = 0  # token


@dataclass
class Clause:
    start: int  # first token
    end: int  # one past the last token
    other: bool = False  # about someone else
    past: bool = False
    present: bool = False
    future: bool = False
    subject: str | None = None  # "self", "other" or None (names nobody)
    # The "other" is a guess: an unknown capitalised word opening the reply ("Selvi lagi
    # kuliah"), which an English adverb or an exclamation can be too ("Honestly still ...").
    guessed: bool = False
    asks: bool = False  # a question about work, or work in general, not a statement ("gaji di sana berapa?")
    for_sale: bool = False  # offers one thing for sale ("jual HP bekas, nego")


@dataclass
class Reading:
    """What the rules make of one message."""

    hits: list[Hit]  # the sender's own status, as resolved
    question: bool  # reads as a question or a post to the group
    norm: str = ""
    others: list[Hit] = field(default_factory=list)  # statuses said of someone else
    past: list[Hit] = field(default_factory=list)  # earlier states the present one replaced
    self_mention: bool = False  # the sender speaks of themself ("saya", "sy sendiri")
    keywords: dict[str, int] = field(default_factory=dict)  # status -> [lexicon] words
    own_norm: str = ""  # the normalised text of the clauses not about someone else
    # The normalised text with each word of someone else's clauses marked "o_" and of
    # the sender's earlier or later states "p_" (when a clause of now is there too):
    # the model's word features, so "dulu kerja ..., sekarang buka warung" weighs the
    # warung, not the kerja. Empty: the same as norm.
    marked: str = ""
    # A status phrase was read only inside a question about work or an item for sale
    # ("kerja di kapal itu berapa bulan?", "jual HP bekas, nego"), and so not counted.
    set_aside: bool = False
    # Someone else is the subject only by a guess (Clause.guessed): not surely so.
    guessed_other: bool = False


def _clauses(norm_tokens: list[str], tokens: list[str], rs: RuleSet,
             cores: list[str] | None = None, supposed: bool = False) -> list[Clause]:
    """`cores`: core_of each of norm_tokens, when already known; `supposed`: the message
    opens with "kalau/jika ..." (see read)."""
    cores = cores if cores is not None else [core_of(t) for t in norm_tokens]
    out: list[Clause] = []
    start = 0
    conjunctions, legal_prefixes = rs.conjunctions, rs.legal_prefixes
    for i, (tok, core) in enumerate(zip(norm_tokens, cores)):
        if i > start and core in conjunctions and tok.startswith(core):
            out.append(Clause(start, i))
            start = i
        if tok and tok[-1] in _CLAUSE_END and core not in legal_prefixes:
            out.append(Clause(start, i + 1))
            start = i + 1
    if start < len(norm_tokens):
        out.append(Clause(start, len(norm_tokens)))
    subject = None
    naming = memo_of(rs, "subject", (rs.self_words, rs.person_pronouns, rs.people, rs.given_names,
                                     rs.naming_words, rs.name_titles, rs.class_roles),
                     lambda: _subject_words(rs))
    # A capitalised word after a comma or colon that ends news brought ("Kata mamanya,
    # Selvi lagi kuliah", "Info dari grup angkatan: Cenning sudah ...") is a name; only
    # where the sender speaks of nobody by "saya/kami" ("(sy, La Ege, Sumange) ...").
    inner_names = rs.self_words.isdisjoint(cores)
    unknown = _unknown_opening(tokens, rs)
    after_news = False
    after_name_field = False
    for c in out:
        words = cores[c.start:c.end]
        c.past = not rs.past_words.isdisjoint(words)
        c.present = not rs.present_words.isdisjoint(words)
        c.future = not rs.future_words.isdisjoint(words)
        inner = after_news and norm_tokens[c.start - 1][-1:] in _MID_SENTENCE
        after_news = inner_names and not rs.news_words.isdisjoint(words)
        # Only the opening-name test (_subject's `unknown`) can find someone in a clause
        # holding no naming word.
        opens = c.start == 0 and unknown
        c.subject = _subject(
            words, tokens[c.start:c.end], rs, cut=c.end < len(norm_tokens)
            and norm_tokens[c.end - 1][-1:] not in _CLAUSE_END, inner=inner,
            unknown=opens) if inner or opens or not naming.isdisjoint(words) else None
        c.guessed = c.subject == _GUESSED
        if c.guessed:
            c.subject = "other"
        if after_name_field and c.subject == "other":
            c.subject = "self"  # "Nama: Wa Ode Nurhayati ...": a form filled in
        after_name_field = " ".join(words) in rs.name_fields
        c.asks = supposed or _asks(words, norm_tokens[c.end - 1], rs, alone=len(out) == 1)
        c.for_sale = not rs.sale_words.isdisjoint(words)
        # A clause naming nobody ("..., kerja di pabrik") speaks of whom the one before did.
        subject = c.subject or subject
        c.other = subject == "other"
    return out


def _asks(words: list[str], last: str, rs: RuleSet, alone: bool = False) -> bool:
    """Whether a clause tells no status: a question ending in "?" with a question word
    and none of "sudah/masih/sekarang ..." (statements of one's status say those) nor a
    past word; `alone` (the whole message is this one clause), a question by its "?"
    only, when nobody speaks of themself ("Ojol di Kendari rame kah orderannya?": the
    "kah" is gone with the particles); or work spoken of in general, by no one and at
    no time ("kerja di tambang memang enak gajinya", "lamar kerja itu kayak cari jodoh",
    "kerja di hotel itu ...")."""
    timeless = rs.statement_words.isdisjoint(words) and rs.past_words.isdisjoint(words)
    if last.endswith("?") and timeless and (
            not rs.asking_words.isdisjoint(words)
            or (alone and rs.self_words.isdisjoint(words))):
        return True
    if not rs.generic_words.isdisjoint(words) and timeless and rs.self_words.isdisjoint(words):
        return True
    return _topic(words, rs)


def _topic(words: list[str], rs: RuleSet) -> bool:
    """A clause that opens with work and makes it the topic with "itu" ("kerja di hotel
    itu senyum wajib", "jualan online itu butuh sabar"): said of work in general. Not
    "kerja di PT itu pak" (that PT) nor "kerja di tambang itu sudah 2 tahun"."""
    if not words or words[0] not in rs.topic_words or not rs.self_words.isdisjoint(words):
        return False
    for k in range(1, min(len(words) - 1, 6)):
        if words[k] == _THAT:
            after = words[k + 1]
            return not (after in rs.address_words or after in rs.statement_words
                        or after in rs.past_words or after in rs.possessives)
    return False


def _owned(words: list[str], tokens: list[str], i: int, rs: RuleSet) -> bool:
    """The self word words[i] belongs to someone else's phrase: "adik saya", "kelas kami",
    "teman satu kos saya", or "... bareng saya" after someone named earlier in the clause
    ("Tetangga sy yang ikut pelatihan bareng saya"; but "Rahmat sama saya": both)."""
    if any(p in rs.people or p in rs.class_roles for p in words[max(0, i - 2):i]):
        return True
    if i > 2 and words[i - 2] == "satu" and words[i - 3] in rs.people:
        return True
    return bool(i) and words[i - 1] in _ALONGSIDE and (
        not rs.people.isdisjoint(words[:i - 2])
        or any(_named(tokens, k, rs, _titled(words, tokens, k, rs) or words[k + 1:k + 2] == [_WHO])
               for k in range(i - 2)))


def _titled(words: list[str], tokens: list[str], i: int, rs: RuleSet) -> bool:
    """words[i] follows a title not said to someone ("Pak Anton", not "Pak, ...")."""
    return i > 0 and words[i - 1] in rs.name_titles and not tokens[i - 1].endswith(",")


def _subject_words(rs: RuleSet) -> frozenset[str]:
    """Every word _subject looks for: a clause holding none of them names nobody."""
    return (rs.self_words | rs.person_pronouns | rs.people | {f"{p}ku" for p in rs.people}
            | rs.name_titles | rs.class_roles
            | {f"{p}nya" for p in rs.people}
            | rs.naming_words | _IF | rs.given_names | {_WHO})


_IF = frozenset({"kalau", "kalo", "jika"})
_MID_SENTENCE = frozenset({",", ":"})
_GUESSED = "other?"  # _subject: someone else, by Clause.guessed
# "Becce jadi asisten koki", "Uci baru melahirkan" (not "di": "Nyantri di pesantren").
_AFTER_NAME = frozenset({"jadi", "baru", "is", "has", "got"})
_TO = frozenset({"ke", "kepada", "sama", "pada", "to"})
# "Tetangga sy yang ikut pelatihan bareng saya ...": the sender is no subject there.
_ALONGSIDE = frozenset({"bareng", "bersama", "dengan", "sama", "with"})
_WHO, _THAT = "yang", "itu"  # "yang dari Muna itu": the one who ...


def _subject(words: list[str], tokens: list[str], rs: RuleSet, cut: bool = False,
             inner: bool = False, unknown: bool = False) -> str | None:
    """Whom a clause is about: "self" when the sender names themself ("saya sendiri",
    "kalau saya"), "other" for a relative or friend named with a possessive ("adik
    saya", "temanku", "my brother") or opening the clause ("Suami sudah kerja"), or
    "dia"/"beliau"; None when it names nobody. `cut`: the clause was ended by a
    conjunction, not punctuation ("Epi | sekarang jaga kasir"), so a name alone in it is
    the subject of what follows; `inner`: the clause follows a comma or colon, where a
    capitalised word is a name, not the start of a sentence ("Kata mamanya, Selvi lagi
    kuliah"); `unknown`: the clause opens the reply with a capitalised word no training
    reply writes in lower case (_unknown_opening)."""
    for i, w in enumerate(words):
        if w in rs.self_words and not _owned(words, tokens, i, rs):
            # The person after a report word, not one spoken to ("cerita ke bapak"); a
            # capitalised word just after the report word is a name ("sy telp Asni").
            told = [a for k, a in enumerate(words[i + 1:i + 8], i + 1)
                    if words[k - 1] not in _TO and (
                        a in rs.people or a in rs.person_pronouns
                        or _named(tokens, k, rs, words[k - 1] in rs.report_words))]
            if not rs.report_words.isdisjoint(words[i + 1:i + 4]) and told:
                # The sender bringing news of someone ("saya punya adik ...", "sy dengar
                # dia kuliah", "sy ketemu Pak Anton ...").
                return "other"
            # "saya", not the "saya" of "adik saya", "teman satu kos saya", "ikut
            # pelatihan bareng saya".
            return "self"
    if _WHO in words[:3] and (_THAT in words[words.index(_WHO) + 2:]
                              or words[words.index(_WHO) + 1:][:1] == ["paling"]):
        # "Yang dari Muna itu, ...", "Ucu yg hitam manis itu ...", "Yang paling muda di
        # kelas ...": the one who ..., someone else.
        return "other"
    for i, w in enumerate(words):
        if w in rs.person_pronouns and not (i and w == "nya"):
            return "other"  # not the "nya" of "bengkel bubut nya"
        if i > 2 or (i and words[i - 1] in rs.object_words):
            continue  # a relative further on is an object ("buka bengkel dengan adik saya")
        if w in rs.class_roles and words[i + 1:i + 2] in (["kelas"], ["angkatan"]):
            return "other"  # "Sekretaris kelas TIK angkatan 5 lanjut kuliah ..."
        if (w.endswith("ku") and w[:-2] in rs.people) or (w.endswith("nya") and w[:-3] in rs.people):
            return "other"  # "temanku", "mamanya anak-anak"
        if w in rs.people:
            after = words[i + 1:i + 4]
            if after[:1] and (after[0] in rs.possessives or after[0] in rs.relation_words):
                return "other"  # "adik saya", "kakak ipar ..."
            mine = next((k for k, a in enumerate(after) if a in rs.possessives), None)
            if mine and not any(a in rs.report_words or a in rs.statement_words
                                or a in rs.object_words for a in after[:mine]):
                return "other"  # "adik ipar saya", "teman satu kos saya"
            if i == 0 and (w not in rs.address_words or _WHO in words[1:4]):
                return "other"  # "Suami sudah kerja", "Ibu yang paling tua di kelas ..."
        if w in rs.naming_words and i + 1 < len(tokens) \
                and tokens[i + 1][:1].isupper():
            return "other"
        # "Pak Anton ...", "Ternyata Pak Joko ...", "Pak itu Ilham ...": a title within the
        # first three words, then the name.
        titled = ((i <= 2 and _titled(words, tokens, i, rs)) or (i == 0 and words[1:2] == [_WHO])
                  or (i == 0 and inner and words[1:2] != [] and words[1] in rs.statement_words))
        # "Selvi lagi kuliah di UHO", "Ical | skrg jd driver": a capitalised word opening
        # the reply that no list, spelling or training reply knows as a word, before
        # "lagi/sudah/jadi/baru ..." or alone before a clause word, is someone named, by
        # a guess (the sender's own name was taken off before: classify._without_own_name).
        opening = (i == 0 and unknown and not titled
                   and ((words[1:2] != [] and (words[1] in rs.statement_words
                                               or words[1] in _AFTER_NAME))
                        or (cut and len(words) == 1)))
        if titled and i >= 2 and words[i - 2] in rs.object_words:
            continue  # "Ikut Pak Haji Darwis, bantu2 di proyek": the one worked for
        if (i == 0 or titled) and (i + 1 < len(words) or cut) \
                and _named(tokens, i, rs, titled or opening) and not tokens[i].endswith(","):
            # "Dedi alumni TIK sudah ...", "Pak Anton skrg ...": someone named, not a
            # vocative; but a name then a vocation ("Asrul otomotif 2023: ...") is the
            # sender answering a roll call.
            # Past the rest of the name ("Wa Ode Nurhayati Status: ...") and the dashes or
            # slashes of a roll call ("Agus Salim / Otomotif / ...").
            after, names, dashed = i + 1, 1, False
            while after + 1 < len(words) and core_of(words[after]) not in rs.intro_words:
                if not any(ch.isalnum() for ch in words[after]):
                    after, dashed = after + 1, True
                elif names < 3 and tokens[after][:1].isupper():
                    after, names = after + 1, names + 1
                else:
                    break
            if after < len(words) and (core_of(words[after]) in rs.intro_words or dashed
                                       or words[after:after + 2] == ["di", "sini"]):
                # "Iwan - blm bisa kerja", "Rahmat di sini pak, ...": the sender.
                return "self"
            return _GUESSED if opening else "other"
    if words[:1] and words[0] in _IF and len(words) > 2:
        # "Kalo Mas Joko sekarang kuliah": as for someone named, not the sender.
        name = tokens[2] if words[1] in rs.address_words else tokens[1]
        if name[:1].isupper() and core_of(name).casefold() not in rs.self_words:
            return "other"
    return None


def first_word(text: str) -> str:
    """The first word of a message as written, in lower case ("" when none)."""
    m = _FIRST_WORD.match(text)
    return m.group(1).casefold() if m else ""


def _named(tokens: list[str], i: int, rs: RuleSet, titled: bool = False) -> bool:
    """tokens[i] is a capitalised common given name ("Dedi", "Sinta"); `titled`: after a
    title ("bang Iccang", "Katanya Jabir") or before "yang" ("Sinarti yg ..."), any
    capitalised word the rules do not know as another word."""
    tok = tokens[i].strip(_PUNCT)
    if not tok[:1].isupper():
        return False
    low = tok.casefold()
    if low in rs.given_names:
        return True
    # "Selvi", not "SIM" or "SMK" (capitals: an abbreviation, or a message in capitals).
    return (titled and tok.isalpha() and len(tok) > 2 and tok[1:].islower()
            and low not in _known_words(rs))


def _known_words(rs: RuleSet) -> frozenset[str]:
    """Every word of the rules' lists, spellings and lexicon (names left out): a
    capitalised word outside them, after a title, is taken for a name."""
    def make():
        words: set[str] = set()
        for f in fields(rs):
            value = getattr(rs, f.name)
            if f.name == "given_names":
                continue
            if isinstance(value, frozenset):
                words.update(w for x in value if isinstance(x, str) for w in x.split())
            elif isinstance(value, dict) and f.name in ("abbreviations", "lexicon"):
                for k, v in value.items():
                    words.update(str(k).split())
                    words.update(str(v).split())
        return frozenset(words)
    return memo_of(rs, "known", (rs.abbreviations, rs.lexicon), make)


def read(text: str, rs: RuleSet | None = None) -> Reading:
    """The rule hits of one message, resolved clause by clause (see the module doc)."""
    rs = rs or load_rules()
    norm, tokens, offsets = normalized(text) if rs is load_rules() else normalize(text, rs)
    index = rs.index
    norm_tokens = norm.split(" ")
    bits = index.candidates(norm_tokens)
    # A status reply may end with a question ("sudah kerja, ada loker lain?"): the
    # hits are kept, and the model weighs the question.
    question = index.finds("ignore", norm, bits)
    cores = [t.strip(_PUNCT) for t in norm_tokens]
    # "Kalau saya kerja di luar daerah, tetap bisa isi survei kah?": a case supposed and
    # asked about, from its first word to the question mark (the first word as written:
    # the phrase map rewrites "kalau saya").
    # Likewise a message that is one question from its first word, naming nobody's state
    # ("Gaji operator di smelter brp ya sebulan kalau baru masuk?"), and advice on what to
    # answer ("Pilih 'belum memungkinkan bekerja' bu").
    opening, nobody = first_word(text), rs.self_words.isdisjoint(cores)
    one_question = (nobody and not rs.asking_words.isdisjoint(cores)
                    and rs.statement_words.isdisjoint(cores) and rs.past_words.isdisjoint(cores)
                    and not any(t[-1:] in _CLAUSE_END for t in norm_tokens[:-1]))
    asked = norm_tokens[-1].endswith("?") and (opening in rs.supposing_words or one_question)
    advised = opening in rs.advising_words and nobody
    clauses = _clauses(norm_tokens, tokens, rs, cores, asked or advised)
    clause_of = [k for k, c in enumerate(clauses) for _ in range(c.start, c.end)]
    hits: list[Hit] = []
    set_aside = False
    # Only the patterns a word every match of them needs does not rule out (Rule.needs),
    # in rule order; a rule's first pattern found ends that rule.
    candidates, patterns, done = bits & index.rule_bits, index.patterns, -1
    while candidates:
        bit = candidates & -candidates
        candidates ^= bit
        k, rule, pattern, also = patterns[bit.bit_length() - 1]
        if k == done or also & ~bits:
            continue  # the rule has its hit, or another word the pattern needs is missing
        found = None
        for m in pattern.finditer(norm):
            start_tok = _token_at(offsets, m.start())
            clause = clauses[clause_of[start_tok]]
            if rule.negatable and _negated(norm_tokens, start_tok, rs, clause.start):
                continue
            if _about_others(norm_tokens, start_tok, rs, clause.start):
                continue
            if clause.asks or (clause.for_sale and rule.status == rs.sale_status):
                set_aside = True
                continue  # asked about, or one thing sold: no status told
            employer = None
            if "tempat" in pattern.groupindex and m.group("tempat"):
                employer = employer_at(tokens, norm_tokens,
                                       _token_at(offsets, m.start("tempat")), rs,
                                       rule.business_words)
                if employer == "\x00":
                    continue
            found = Hit(rule, employer, clause_of[start_tok], start_tok)
            if not clause.other:
                break  # the sender's own: no need to look further
        if found is not None:
            hits.append(found)
            done = k
    low = text.casefold()  # "ini" is a particle in norm
    if index.finds("proxy", norm, bits) or index.finds_in("proxy", low):
        for c in clauses:
            c.other = True
    self_mention = any(c.subject == "self" for c in clauses)
    reading = _resolve(hits, clauses, question, norm, self_mention)
    reading.guessed_other = any(c.guessed for c in clauses)
    reading.keywords = _keywords(norm_tokens, clauses, rs, cores)
    reading.own_norm = " ".join(" ".join(norm_tokens[c.start:c.end]) for c in clauses
                                if not c.other)
    reading.marked = _marked(norm_tokens, clauses)
    # A question or work in general that names work without any rule's phrase ("kerja
    # keras bagai kuda"): its work words are set aside too.
    reading.set_aside = set_aside or any(
        c.asks and rs.work_words.search(" ".join(cores[c.start:c.end])) for c in clauses)
    return reading


def _marked(norm_tokens: list[str], clauses: list[Clause]) -> str:
    """Reading.marked: words of others' clauses as "o_...", of earlier or later states
    beside a clause of now as "p_..."."""
    own = [c for c in clauses if not c.other]
    now = [c for c in own if not (c.past or c.future)]
    demoted = [c for c in own if c not in now] if now and len(now) < len(own) else []
    if not demoted and len(own) == len(clauses):
        return ""
    out = list(norm_tokens)
    for prefix, group in (("o_", [c for c in clauses if c.other]), ("p_", demoted)):
        for c in group:
            for i in range(c.start, c.end):
                if out[i]:
                    out[i] = prefix + out[i]
    return " ".join(out)


def _keywords(norm_tokens: list[str], clauses: list[Clause] | None, rs: RuleSet,
              cores: list[str] | None = None) -> dict[str, int]:
    """How many [lexicon] words of each status the sender's own clauses hold, a word
    after a negation not counted ("belum kerja")."""
    out: dict[str, int] = {}
    words = cores if cores is not None else [core_of(t) for t in norm_tokens]
    lexicon = rs.lexicon
    # Only a word that starts a two-word entry needs the next word looked up with it;
    # a text holding no word looked up at all holds no key word.
    firsts, looked = memo_of(rs, "lexicon", (lexicon,), lambda: _lexicon_words(lexicon))
    if looked.isdisjoint(words):
        return out
    other = set()
    if clauses:
        for c in clauses:
            if c.other:
                other.update(range(c.start, c.end))
    for i, w in enumerate(words):
        if i in other:
            continue
        status = lexicon.get(w)
        if status is None and i + 1 < len(words) and w in firsts:
            status = lexicon.get(f"{w} {words[i + 1]}")
        if status is None and w.endswith("nya"):
            status = rs.lexicon.get(w[:-3])
        if status is None:
            continue
        if any(words[j] in rs.negations for j in range(max(0, i - 2), i)):
            continue
        out[status] = out.get(status, 0) + 1
    return out


def _lexicon_words(lexicon: dict[str, str]) -> tuple[frozenset[str], frozenset[str]]:
    """(the first words of the two-word entries, every word _keywords looks up)."""
    firsts = frozenset(k.split(" ", 1)[0] for k in lexicon if " " in k)
    return firsts, frozenset(lexicon) | firsts | {f"{k}nya" for k in lexicon}


# Rules of aturan_wa.toml that only say the sender does not work, and the one that says
# they do not look for work either: together, not looking wins.
_NOT_WORKING = frozenset({"belum_kerja", "berhenti_kerja"})
_NOT_LOOKING = "tidak_mencari"


def _resolve(hits: list[Hit], clauses: list[Clause], question: bool, norm: str,
             self_mention: bool) -> Reading:
    if not hits:
        return Reading([], question, norm, [], [], self_mention)
    others = [h for h in hits if clauses[h.clause].other and not h.rule.clause_free]
    # A refusal stays the sender's whatever else the reply says ("Saya kerja kok pak, tapi
    # saya tidak mau isi formnya"): only the statuses are weighed against each other.
    refusals = [h for h in hits if h not in others and h.rule.status == REFUSAL]
    own = [h for h in hits if h not in others and h not in refusals]
    past: list[Hit] = []
    strong = {h.rule.status for h in own if not h.rule.weak}
    if strong:
        # "Belum kerja, masih kuliah": not working, because studying.
        past = [h for h in own if h.rule.weak and h.rule.status not in strong]
        own = [h for h in own if h not in past]
    if (len({h.rule.status for h in own}) > 1 and all(h.rule.weak for h in own)
            and any(h.rule.id == _NOT_LOOKING for h in own)
            and all(h.rule.id in _NOT_WORKING or h.rule.id == _NOT_LOOKING for h in own)):
        # "Belum kerja & belum cari dulu": not working and not looking either.
        past = [h for h in own if h.rule.id != _NOT_LOOKING]
        own = [h for h in own if h.rule.id == _NOT_LOOKING]
    if len({h.rule.status for h in own}) > 1:
        now = [h for h in own if not (clauses[h.clause].past or clauses[h.clause].future)]
        if now and len(now) < len(own):
            past = [h for h in own if h not in now]
            own = now
    if len({h.rule.status for h in own}) > 1:
        marked = [h for h in own if clauses[h.clause].present]
        if marked and len({h.rule.status for h in marked}) == 1:
            past += [h for h in own if h not in marked]
            own = marked
    return Reading(own + refusals, question, norm, others, past, self_mention)


def classify_text(text: str, rs: RuleSet | None = None) -> tuple[list[Hit], bool]:
    """The sender's own rule hits in one message, and whether it reads as a question or
    announcement."""
    reading = read(text, rs)
    return reading.hits, reading.question


def clear_caches() -> None:
    """Forget every text and token read so far (scripts/bench_wa.py measures from cold);
    what was made from the rules alone (compiled patterns, word sets) stays."""
    rule_hits.cache_clear()
    normalized.cache_clear()
    rs = load_rules()
    for _, made in rs.memo.values():
        if isinstance(made, dict):  # per-token caches
            made.clear()
    rs.index.tokens.clear()


# Texts rule_hits and normalized keep: a chat longer than this is read in blocks
# (classify.READ_BLOCK) so that each text is read once across the model's passes.
READ_CACHE = 65536


@lru_cache(maxsize=READ_CACHE)
def normalized(text: str) -> tuple[str, list[str], list[int]]:
    """normalize() with the shipped rules, each text once (do not change the lists)."""
    return normalize(text, load_rules())


@lru_cache(maxsize=READ_CACHE)
def rule_hits(text: str) -> Reading:
    """read() of the shipped rules, each text once: group chats repeat short replies
    ("belum kerja", "mantap")."""
    return read(text)
