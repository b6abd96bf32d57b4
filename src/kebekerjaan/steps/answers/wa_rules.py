"""The rule reader for WhatsApp replies: each message, normalised by wa_ruleset (English
phrases, abbreviations and common misspellings, drawn-out letters, particles, all caps),
is matched against the rules and read clause by clause (whom each clause is about:
wa_subject):

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

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.steps.answers.wa_ruleset import (
    CLAUSE_END,
    PUNCT,
    REFUSAL,
    TERMINATORS,
    Rule,
    RuleSet,
    core_of,
    lists_options,
    load_rules,
    memo_of,
    normalize,
    place_names,
)
from kebekerjaan.steps.answers.wa_subject import (
    GUESSED,
    MID_SENTENCE,
    THAT,
    first_word,
    subject_of,
    subject_words,
    unknown_opening,
)

__all__ = ["READ_CACHE", "Hit", "Reading", "classify_text", "clear_caches", "employer_at", "normalized",
           "read", "rule_hits"]


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
        tail = norm_tokens[i][len(norm_tokens[i].rstrip(PUNCT)):]
        if any(ch in TERMINATORS for ch in tail):
            break
        if "." in tail and core not in rs.legal_prefixes:
            break
    if not out:
        return "\x00" if business_words else None  # "buka bu": nothing was opened
    name = " ".join(out).strip(PUNCT + " ")
    if business_words:
        words = name.casefold().split()
        if not any(" ".join(words[:k]) in business_words for k in (1, 2)):
            return "\x00"  # not a business: the rule does not apply
        if len(words) > 1 and words[0] in ("usaha", "bisnis"):
            name = name.split(" ", 1)[1]
    key = header_key(name)
    if not key or key in rs.not_employers or key in place_names():
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
    # Every clause of the sender's status tells only an earlier state or a case supposed or
    # wished ("dulu sy sempat jd kasir, tp itu 2019", "if I get a job ..."), and no clause
    # tells of now: no status of now.
    unreal: bool = False


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
        if tok and tok[-1] in CLAUSE_END and core not in legal_prefixes:
            out.append(Clause(start, i + 1))
            start = i + 1
    if start < len(norm_tokens):
        out.append(Clause(start, len(norm_tokens)))
    subject = None
    naming = memo_of(rs, "subject", (rs.self_words, rs.person_pronouns, rs.people, rs.given_names,
                                     rs.naming_words, rs.name_titles, rs.class_roles),
                     lambda: subject_words(rs))
    # A capitalised word after a comma or colon that ends news brought ("Kata mamanya,
    # Selvi lagi kuliah", "Info dari grup angkatan: Cenning sudah ...") is a name; only
    # where the sender speaks of nobody by "saya/kami" ("(sy, La Ege, Sumange) ...").
    inner_names = rs.self_words.isdisjoint(cores)
    unknown = unknown_opening(tokens, rs)
    after_news = False
    after_name_field = False
    for c in out:
        words = cores[c.start:c.end]
        c.past = not rs.past_words.isdisjoint(words)
        c.present = not rs.present_words.isdisjoint(words)
        c.future = not rs.future_words.isdisjoint(words)
        inner = after_news and norm_tokens[c.start - 1][-1:] in MID_SENTENCE
        after_news = inner_names and not rs.news_words.isdisjoint(words)
        # Only the opening-name test (subject_of's `unknown`) can find someone in a clause
        # holding no naming word.
        opens = c.start == 0 and unknown
        c.subject = subject_of(
            words, tokens[c.start:c.end], rs, cut=c.end < len(norm_tokens)
            and norm_tokens[c.end - 1][-1:] not in CLAUSE_END, inner=inner,
            unknown=opens) if inner or opens or not naming.isdisjoint(words) else None
        c.guessed = c.subject == GUESSED
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
        if words[k] == THAT:
            after = words[k + 1]
            return not (after in rs.address_words or after in rs.statement_words
                        or after in rs.past_words or after in rs.possessives)
    return False


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
    cores = [t.strip(PUNCT) for t in norm_tokens]
    # "Kalau saya kerja di luar daerah, tetap bisa isi survei kah?": a case supposed and
    # asked about, from its first word to the question mark (the first word as written:
    # the phrase map rewrites "kalau saya").
    # Likewise a message that is one question from its first word, naming nobody's state
    # ("Gaji operator di smelter brp ya sebulan kalau baru masuk?"), and advice on what to
    # answer ("Pilih 'belum memungkinkan bekerja' bu").
    opening, nobody = first_word(text), rs.self_words.isdisjoint(cores)
    one_question = (nobody and not rs.asking_words.isdisjoint(cores)
                    and rs.statement_words.isdisjoint(cores) and rs.past_words.isdisjoint(cores)
                    and not any(t[-1:] in CLAUSE_END for t in norm_tokens[:-1]))
    asked = norm_tokens[-1].endswith("?") and (opening in rs.supposing_words or one_question)
    # (A staff prompt listing the answers says "kami" often: "buat laporan kami".)
    advised = (nobody and (opening in rs.advising_words or _advises(norm_tokens, cores, rs))
               or lists_options(text, rs))
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
    reading.unreal = _unreal(reading.hits, clauses, cores, rs)
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


def _advises(norm_tokens: list[str], cores: list[str], rs: RuleSet) -> bool:
    """Whether a word of advice is followed, in its clause, by a status of the form
    ("Kalau digaji, pilih bekerja mas", "usaha keluarga termasuk wirausaha"): how to
    answer, not the sender's answer."""
    for i, core in enumerate(cores[:-1]):
        if core in rs.advising_words and norm_tokens[i][-1:] not in CLAUSE_END and any(
                w in rs.form_heads for w in cores[i + 1:i + 3]):
            return True
    return False


def _unreal(hits: list[Hit], clauses: list[Clause], cores: list[str], rs: RuleSet) -> bool:
    """Whether every clause of `hits` holds a word of an earlier state only
    (past_only_words) or, before its status, of a case supposed or wished (wish_words),
    and the message has no word of now nor a negation ("Kerja di PT X, dulu sempat di
    bengkel" is of now; "blm kerja, pengen buka usaha" has its negation)."""
    if not cores or not rs.now_words.isdisjoint(cores) or not rs.negations.isdisjoint(cores):
        return False
    if not hits:
        # A status only the model reads: the message opens with the case or the wish
        # ("if I get a job at the smelter ..."), or tells an earlier state.
        return cores[0] in rs.wish_words or not rs.past_only_words.isdisjoint(cores)

    def unreal(h: Hit) -> bool:
        c = clauses[h.clause]
        return not (rs.past_only_words.isdisjoint(cores[c.start:c.end])
                    and rs.wish_words.isdisjoint(cores[c.start:h.start + 1]))
    return all(unreal(h) for h in hits)


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
