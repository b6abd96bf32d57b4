"""Which column of an input file is which field: read by meaning, never dropped quietly.

A header is matched to a field by, in order:
1. `alias`: it is one of the field's configured aliases ([columns.*] in kebekerjaan.toml),
   ignoring case, spaces and punctuation;
2. `teks pertanyaan`: it is the question's wording in data/kuesioner.toml (forms only);
3. `mirip`: a tolerant match, for fields no header named exactly: the header's words
   contain a name's words or are contained in them (filler words such as "Anda", "saat
   ini" or "(wajib)" left out), or the words read nearly the same (rapidfuzz). It is used
   only when exactly one field wins clearly.

Two fields claiming one header, or one field found under two headers that both hold
data, refuses the file with both named. Of two headers for one field where only one
holds data, the one with data is read (and that is said). Every column holding data that
no field uses is listed, a column without a header by its position.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from kebekerjaan.io.normalize.text import header_key

__all__ = [
    "RULE_ALIAS", "RULE_QUESTION", "RULE_SIMILAR", "ColumnUse", "FieldNames", "HeaderResolution",
    "column_label", "resolve_headers",
]

RULE_ALIAS, RULE_QUESTION, RULE_SIMILAR = "alias", "teks pertanyaan", "mirip"
_EXACT = (RULE_ALIAS, RULE_QUESTION)
# Words that carry no meaning in a question's title ("Apa status Anda saat ini? (wajib)").
_FILLER = frozenset("""
    anda kamu saudara yang apa apakah di ke dari dan atau ini itu saat sekarang mana berapa
    bagaimana seberapa kapan sejak untuk dengan boleh lebih satu wajib harus mohon silakan isi
    diisi tulis tuliskan sebutkan pilih pertanyaan opsional jangan ubah diubah otomatis terisi
    sesuai
""".split())
# Words too general to name a field by themselves ("Nomor" is a row number as often as a
# NIK): a tolerant match must know at least one other word of the header.
_GENERIC = frozenset("no nomor nama tanggal tgl kode jenis data kolom keterangan".split())
_PREFIXES = ("ber", "be", "di", "ter", "me")
_WORD = re.compile(r"[a-z0-9]+")
# A tolerant match must explain at least this share of the header's words.
MIN_COVERAGE = 2 / 3
# Words reading nearly the same ("Jabatn atau posisi"): rapidfuzz token_sort_ratio.
MIN_SIMILARITY = 88.0


def _words(text: str) -> frozenset[str]:
    """The meaningful words of a header, prefixes ber-/di-/... cut ("bekerja" = "kerja")."""
    folded = unicodedata.normalize("NFKD", str(text).casefold()).encode("ascii", "ignore").decode()
    return frozenset(_stem(w) for w in _WORD.findall(folded) if w not in _FILLER)


def _stem(word: str) -> str:
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 4:
            return word[len(prefix):]
    return word


def column_label(position: int, header: str) -> str:
    """How staff find a column: its header, or its position when the header is blank."""
    return f"'{header}'" if header else f"kolom ke-{position + 1} (tanpa judul)"


@dataclass(frozen=True)
class ColumnUse:
    """One column of the file: the field it was read as (None: not used), and why."""

    position: int  # 0-based
    header: str
    field: str | None
    rule: str | None
    note: str = ""
    rivals: tuple[str, ...] = ()  # fields that compete for this header

    @property
    def label(self) -> str:
        return column_label(self.position, self.header)

    def as_dict(self) -> dict:
        return {"kolom": self.position + 1, "judul": self.header, "isian": self.field,
                "aturan": self.rule, "catatan": self.note}


@dataclass
class HeaderResolution:
    used: dict[str, ColumnUse]  # field -> the column read as it
    unused: list[ColumnUse]  # columns holding data that no field uses
    conflicts: list[str] = field(default_factory=list)  # Indonesian; any one refuses the file
    unclear: list[ColumnUse] = field(default_factory=list)  # headers no field claims clearly

    def notes(self) -> list[str]:
        """Indonesian lines: how each header was read, then the columns not used."""
        lines = [f"{u.label} dibaca sebagai {u.field} ({u.rule})"
                 + (f"; {u.note}" if u.note else "") for u in self.used.values()]
        lines += [f"{u.label} tidak dipakai" + (f" ({u.note})" if u.note else "")
                  for u in self.unused]
        return lines

    def summary(self) -> str:
        """One line for a step summary: exact matches counted, the rest spelled out
        (the notebook's table and the manifest list every column)."""
        plain = [u for u in self.used.values() if u.rule in _EXACT and not u.note]
        counts = [f"{sum(u.rule == r for u in plain)} lewat {r}" for r in _EXACT
                  if any(u.rule == r for u in plain)]
        parts = [f"{len(plain)} kolom dibaca tepat ({', '.join(counts)})"] if plain else []
        parts += [f"{u.label} → {u.field} ({u.rule}{'; ' + u.note if u.note else ''})"
                  for u in self.used.values() if u not in plain]
        if self.unused:
            parts.append("kolom tidak dipakai: " + ", ".join(u.label for u in self.unused))
        return "; ".join(parts)


class FieldNames:
    """The names each field goes by: configured aliases, and question wordings (forms)."""

    def __init__(self, aliases: Mapping[str, Sequence[str]],
                 questions: Mapping[str, str] | None = None):
        self.aliases = {f: tuple(names) for f, names in aliases.items()}
        self.questions = dict(questions or {})
        self.fields = tuple(dict.fromkeys([*self.aliases, *self.questions]))
        self._exact: dict[str, dict[str, set[str]]] = {RULE_ALIAS: {}, RULE_QUESTION: {}}
        for f, names in self.aliases.items():
            for name in (*names, f):
                self._exact[RULE_ALIAS].setdefault(header_key(name), set()).add(f)
        for f, text in self.questions.items():
            key = header_key(text)
            if key not in self._exact[RULE_ALIAS]:
                self._exact[RULE_QUESTION].setdefault(key, set()).add(f)
        self._tolerant: dict[str, list[tuple[frozenset[str], str]]] = {
            f: [(w, " ".join(sorted(w))) for w in {_words(n) for n in self.names(f)} if w]
            for f in self.fields
        }
        self._vocab = {f: frozenset().union(*(w for w, _ in names)) if names else frozenset()
                       for f, names in self._tolerant.items()}

    def names(self, f: str) -> list[str]:
        """The field's aliases, then its question's wording."""
        return [*self.aliases.get(f, ()), *([self.questions[f]] if f in self.questions else [])]

    def label(self, f: str) -> str:
        """A field as staff know it: its question, else its first alias, with its code."""
        text = self.questions.get(f) or next(iter(self.aliases.get(f, ())), f)
        return f"{text} [{f}]" if text != f else f

    def exact_index(self) -> dict[str, str]:
        """header_key -> field of every exact name (for finding the header row)."""
        out: dict[str, str] = {}
        for rule in _EXACT:
            for key, fields in self._exact[rule].items():
                out.setdefault(key, sorted(fields)[0])
        return out

    def exact(self, header: str) -> tuple[set[str], str | None]:
        key = header_key(header)
        for rule in _EXACT:
            if key in self._exact[rule]:
                return self._exact[rule][key], rule
        return set(), None

    def tolerant(self, header: str, fields: Sequence[str]) -> tuple[str | None, list[str]]:
        """(the one field that clearly wins, []) or (None, the fields that compete).

        A field's words are those of all its names. Its share of the header is how many
        of the header's words it knows (a near-spelling of a long word counts); a header
        that reads nearly like one whole name counts as fully known. The winner must know
        at least MIN_COVERAGE of the header, more than any rival, and every word a rival
        knows (so "Nama perusahaan / usaha" is the employer, not the name).
        """
        words = _words(header)
        if not words:
            return None, []
        short = len(words) == 1 and len(next(iter(words))) < 4  # "No", "CP": too vague
        joined = " ".join(sorted(words))
        found: list[tuple[float, frozenset[str], str]] = []
        for f in fields:
            names = self._tolerant.get(f, ())
            if short:
                known = words if any(n == words for n, _ in names) else frozenset()
            else:
                vocab = self._vocab[f]
                known = frozenset(w for w in words if w in vocab or (len(w) >= 5 and any(
                    len(v) >= 5 and fuzz.ratio(w, v) >= MIN_SIMILARITY for v in vocab)))
                if any(fuzz.token_sort_ratio(joined, nj) >= MIN_SIMILARITY for _, nj in names):
                    known = words
            share = len(known) / len(words)
            if known and known <= _GENERIC:
                continue
            if known and share >= MIN_COVERAGE - 1e-9:
                found.append((share, known, f))
        if not found:
            return None, []
        found.sort(key=lambda x: -x[0])
        top_share, top_words, top = found[0]
        rivals = [f for share, w, f in found[1:] if not (share < top_share and w < top_words)]
        if rivals:
            return None, [top, *rivals]
        return top, []


def resolve_headers(header: Sequence[str], names: FieldNames,
                    has_data: Callable[[int], bool]) -> HeaderResolution:
    """Read each header of a file as a field (see module docstring); `has_data(position)`
    tells whether the column holds any cell below the header."""
    conflicts: list[str] = []
    unused: list[ColumnUse] = []
    unclear: list[ColumnUse] = []
    claims: dict[str, list[ColumnUse]] = {}
    leftover: list[int] = []
    for pos, text in enumerate(header):
        if not text:
            if has_data(pos):
                unused.append(ColumnUse(pos, text, None, None, "kolom tanpa judul"))
            continue
        fields, rule = names.exact(text)
        if len(fields) > 1:
            listed = ", ".join(names.label(f) for f in sorted(fields))
            conflicts.append(f"judul kolom '{text}' adalah alias beberapa isian sekaligus: {listed}; "
                             "hapus alias itu dari salah satu isian di kebekerjaan.toml")
        elif fields:
            (f,) = fields
            claims.setdefault(f, []).append(ColumnUse(pos, text, f, rule))
        else:
            leftover.append(pos)
    used = _pick(claims, names, has_data, conflicts)
    # The tolerant match only looks at fields no header named exactly.
    open_fields = [f for f in names.fields if f not in used]
    loose: dict[str, list[ColumnUse]] = {}
    for pos in leftover:
        text = header[pos]
        f, rivals = names.tolerant(text, open_fields)
        if f is not None:
            loose.setdefault(f, []).append(ColumnUse(pos, text, f, RULE_SIMILAR))
            continue
        if rivals:
            unclear.append(ColumnUse(pos, text, None, None, "mirip dengan " + ", ".join(rivals),
                                     tuple(rivals)))
            if has_data(pos):
                listed = "; ".join(names.label(r) for r in rivals)
                conflicts.append(
                    f"judul kolom '{text}' mirip dengan beberapa isian: {listed}. Tambahkan judul "
                    "itu sebagai alias isian yang benar di kebekerjaan.toml (bagian [columns]), "
                    "atau ganti judulnya di berkas"
                )
            continue
        taken = names.tolerant(text, [f for f in names.fields if f in used])[0]
        if has_data(pos):
            note = (f"mirip dengan {taken}, tetapi {taken} sudah dibaca dari {used[taken].label}"
                    if taken else "")
            unused.append(ColumnUse(pos, text, None, None, note))
        unclear.append(ColumnUse(pos, text, None, None))
    used.update(_pick(loose, names, has_data, conflicts))
    ordered = dict(sorted(used.items(), key=lambda kv: kv[1].position))
    return HeaderResolution(ordered, sorted(unused, key=lambda u: u.position), conflicts, unclear)


def _pick(claims: dict[str, list[ColumnUse]], names: FieldNames, has_data,
          conflicts: list[str]) -> dict[str, ColumnUse]:
    """One column per field; of several, the only one holding data."""
    used: dict[str, ColumnUse] = {}
    for f, cols in claims.items():
        if len(cols) == 1:
            used[f] = cols[0]
            continue
        full = [c for c in cols if has_data(c.position)]
        labels = ", ".join(c.label for c in cols)
        if len(full) > 1:
            conflicts.append(
                f"isian {names.label(f)} ada di beberapa kolom yang berisi data: "
                f"{', '.join(c.label for c in full)}; hapus salah satunya atau ganti judulnya"
            )
            continue
        chosen = full[0] if full else cols[0]
        note = (f"dari kolom {labels} hanya kolom ini yang berisi data" if full
                else f"kolom {labels} semuanya kosong")
        used[f] = ColumnUse(chosen.position, chosen.header, f, chosen.rule, note)
    return used
