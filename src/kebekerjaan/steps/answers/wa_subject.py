"""Whom a clause of a reply is about (subject_of): the sender ("saya", a roll call opening
with their own name), someone else named by relation, role, title or name ("adik saya",
"Pak Anton", "Selvi lagi kuliah"), or nobody. wa_rules.read asks it of each clause."""

from __future__ import annotations

from dataclasses import fields

from kebekerjaan.steps.answers.wa_ruleset import FIRST_WORD, PUNCT, WORD_EDGE, RuleSet, core_of, memo_of

__all__ = ["GUESSED", "MID_SENTENCE", "THAT", "first_word", "subject_of", "subject_words",
           "unknown_opening"]


def unknown_opening(tokens: list[str], rs: RuleSet) -> bool:
    """The reply opens with a capitalised word no training reply writes in lower case."""
    return (tokens[:1] != [] and tokens[0][:1].isupper()
            and tokens[0].strip(WORD_EDGE).casefold() not in rs.common_words)



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


def subject_words(rs: RuleSet) -> frozenset[str]:
    """Every word subject looks for: a clause holding none of them names nobody."""
    return (rs.self_words | rs.person_pronouns | rs.people | {f"{p}ku" for p in rs.people}
            | rs.name_titles | rs.class_roles
            | {f"{p}nya" for p in rs.people}
            | rs.naming_words | _IF | rs.given_names | {_WHO})


_IF = frozenset({"kalau", "kalo", "jika"})
MID_SENTENCE = frozenset({",", ":"})
GUESSED = "other?"  # subject: someone else, by Clause.guessed
# "Becce jadi asisten koki", "Uci baru melahirkan" (not "di": "Nyantri di pesantren").
_AFTER_NAME = frozenset({"jadi", "baru", "is", "has", "got"})
_TO = frozenset({"ke", "kepada", "sama", "pada", "to"})
# "Tetangga sy yang ikut pelatihan bareng saya ...": the sender is no subject there.
_ALONGSIDE = frozenset({"bareng", "bersama", "dengan", "sama", "with"})
_WHO, THAT = "yang", "itu"  # "yang dari Muna itu": the one who ...


def subject_of(words: list[str], tokens: list[str], rs: RuleSet, cut: bool = False,
             inner: bool = False, unknown: bool = False) -> str | None:
    """Whom a clause is about: "self" when the sender names themself ("saya sendiri",
    "kalau saya"), "other" for a relative or friend named with a possessive ("adik
    saya", "temanku", "my brother") or opening the clause ("Suami sudah kerja"), or
    "dia"/"beliau"; None when it names nobody. `cut`: the clause was ended by a
    conjunction, not punctuation ("Epi | sekarang jaga kasir"), so a name alone in it is
    the subject of what follows; `inner`: the clause follows a comma or colon, where a
    capitalised word is a name, not the start of a sentence ("Kata mamanya, Selvi lagi
    kuliah"); `unknown`: the clause opens the reply with a capitalised word no training
    reply writes in lower case (unknown_opening)."""
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
    if _WHO in words[:3] and (THAT in words[words.index(_WHO) + 2:]
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
        if (i == 0 or titled) and (i + 1 < len(words) or cut) and not tokens[i].endswith(",") \
                and _named(tokens, i, rs, titled or opening, opens=i == 0):
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
            return GUESSED if opening else "other"
    if words[:1] and words[0] in _IF and len(words) > 2:
        # "Kalo Mas Joko sekarang kuliah": as for someone named, not the sender.
        name = tokens[2] if words[1] in rs.address_words else tokens[1]
        if name[:1].isupper() and core_of(name).casefold() not in rs.self_words:
            return "other"
    return None


def first_word(text: str) -> str:
    """The first word of a message as written, in lower case ("" when none)."""
    m = FIRST_WORD.match(text)
    return m.group(1).casefold() if m else ""


def _named(tokens: list[str], i: int, rs: RuleSet, titled: bool = False,
           opens: bool = False) -> bool:
    """tokens[i] is a capitalised common given name ("Dedi", "Sinta"); `titled`: after a
    title ("bang Iccang", "Katanya Jabir") or before "yang" ("Sinarti yg ..."), any
    capitalised word the rules do not know as another word; `opens`: it opens the reply,
    where a common given name in lower case is one too ("nisa sdh pindah ke Makassar")."""
    tok = tokens[i].strip(PUNCT)
    low = tok.casefold()
    if not tok[:1].isupper():
        return opens and low in rs.given_names and low not in _known_words(rs)
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
