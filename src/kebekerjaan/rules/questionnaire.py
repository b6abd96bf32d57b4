"""The standard questionnaire (data/kuesioner.toml): questions, option codes, checks.

Answers are kept as option codes ("bekerja", "swasta"), never as the wording on the
form, so a reworded option or a form in another wording still counts the same.
Matching an answer to an option ignores case, spaces and punctuation (header_key).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources

from kebekerjaan.io.normalize.dates import DateParseError, parse_date
from kebekerjaan.io.normalize.text import header_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "ALL_STATUSES",
    "Option",
    "Question",
    "Questionnaire",
    "load_questionnaire",
    "option_code",
    "required_fields",
    "split_multi",
    "validate_answer",
]

TYPES = ("single", "multi", "text", "date")
ALL_STATUSES = "*"
# Multi-choice answers are stored as codes joined by this.
MULTI_SEPARATOR = "; "
OTHER = "lainnya"


@dataclass(frozen=True)
class Option:
    code: str
    text: str
    aliases: tuple[str, ...] = ()
    tracer: str | None = None


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    type: str
    section: str
    required_for: frozenset[str]
    options: tuple[Option, ...] = ()
    other: bool = False
    tracer: str | None = None
    # What staff read in the manual-entry form (the question as alumni saw it is `text`).
    label: str = ""
    label_by_status: tuple[tuple[str, str], ...] = ()
    help: str = ""

    def required(self, status: str | None) -> bool:
        return ALL_STATUSES in self.required_for or (status in self.required_for)

    def staff_label(self, status: str | None = None) -> str:
        """The short label written for staff, by status where it differs."""
        return dict(self.label_by_status).get(status) or self.label or self.text

    def option_text(self, code: str) -> str | None:
        return next((o.text for o in self.options if o.code == code), None)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(o.code for o in self.options)


class Questionnaire:
    """Lookups over the loaded questionnaire; build it with load_questionnaire()."""

    def __init__(self, title: str, version: str, questions: Iterable[Question],
                 sections: Mapping[str, str] | None = None):
        self.title = title
        self.version = version
        self.sections = dict(sections or {})  # section code -> title on the form
        self.questions = tuple(questions)
        self._by_code = {q.code: q for q in self.questions}
        # (question, header_key(text or alias or code)) -> option code
        self._option_index: dict[str, dict[str, str]] = {}
        for q in self.questions:
            index: dict[str, str] = {}
            for o in q.options:
                for name in (o.code, o.text, *o.aliases):
                    index.setdefault(header_key(name), o.code)
            self._option_index[q.code] = index

    def __getitem__(self, code: str) -> Question:
        return self._by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions)

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(o.code for o in self["status"].options)

    def status_label(self, code: str) -> str:
        return self["status"].option_text(code) or code

    def option_code(self, field: str, answer: object) -> str | None:
        """Code of the option whose text, alias or code is `answer`; None if none is."""
        if answer is None:
            return None
        return self._option_index[field].get(header_key(str(answer)))

    def split_multi(self, field: str, answer: object) -> tuple[list[str], str | None]:
        """Codes of a checkbox answer, and the free text of "Yang lain" (or None).

        The pieces may be joined by ";" (form download) or ", " (linked sheet). Option
        texts are matched whole first, so a typed "other" answer containing a comma is
        kept together as the leftover text.
        """
        if answer is None:
            return [], None
        text = " ".join(str(answer).split())
        if not text:
            return [], None
        index = self._option_index[field]
        codes: list[str] = []
        leftovers: list[str] = []
        for chunk in text.split(";"):
            pieces = [p.strip() for p in chunk.split(",")]
            i = 0
            while i < len(pieces):
                # Longest run of comma-separated pieces that is one option's text.
                for j in range(len(pieces), i, -1):
                    code = index.get(header_key(", ".join(pieces[i:j])))
                    if code is not None:
                        if code not in codes:
                            codes.append(code)
                        i = j
                        break
                else:
                    if pieces[i]:
                        leftovers.append(pieces[i])
                    i += 1
        other = ", ".join(leftovers) or None
        if other is not None and OTHER in self[field].codes and OTHER not in codes:
            codes.append(OTHER)
        return codes, other

    def required_fields(self, status: str | None) -> list[str]:
        """Fields that must be answered for `status` (a status code), in form order."""
        return [q.code for q in self.questions if q.required(status)]

    def validate_answer(self, answer: Mapping[str, object]) -> list[str]:
        """Problems of one answer (codes, as produced by the readers), in Indonesian.

        An empty list means complete and consistent. Keys the questionnaire does not know
        (answered_at, source, ...) are not checked.
        """
        return [message for _, message in self.field_problems(answer)]

    def field_problems(self, answer: Mapping[str, object]) -> list[tuple[str, str]]:
        """validate_answer's problems, each with the question code it is about."""
        problems: list[tuple[str, str]] = []
        status = _value(answer.get("status"))
        if status is None:
            problems.append(("status", "status belum diisi"))
        elif status not in self.statuses:
            problems.append(("status", f"status '{status}' tidak dikenal"))
            status = None
        for q in self.questions:
            value = _value(answer.get(q.code))
            if value is None:
                if status is not None and q.required(status):
                    problems.append((q.code,
                                     f"'{q.text}' wajib diisi untuk status {self.status_label(status)}"))
                continue
            if q.code == "status":
                continue
            problems.extend((q.code, m) for m in self._check_value(q, value))
        if _value(answer.get("consent")) == "tidak":
            problems.append(("consent", "alumni tidak bersedia datanya digunakan"))
        return problems

    def _check_value(self, q: Question, value: object) -> list[str]:
        if q.type == "single":
            if value not in q.codes:
                return [f"jawaban '{value}' untuk '{q.text}' bukan pilihan yang tersedia"]
        elif q.type == "multi":
            codes = value if isinstance(value, (list, tuple)) else str(value).split(";")
            bad = [c.strip() for c in codes if c.strip() and c.strip() not in q.codes]
            if bad:
                return [f"jawaban '{', '.join(bad)}' untuk '{q.text}' bukan pilihan yang tersedia"]
        elif q.type == "date" and not isinstance(value, (date, datetime)):
            try:
                parse_date(value)
            except DateParseError:
                return [f"tanggal '{value}' untuk '{q.text}' tidak dapat dibaca"]
        return []


def _value(x: object) -> object:
    """None for empty cells (None, NaN, "", [])."""
    if x is None:
        return None
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, str) and not x.strip():
        return None
    if isinstance(x, (list, tuple)) and not x:
        return None
    return x.strip() if isinstance(x, str) else x


_CODE = re.compile(r"^[a-z0-9_.\-]+$")


def _build(data: Mapping) -> Questionnaire:
    questions = []
    seen: set[str] = set()
    for i, item in enumerate(data["question"], start=1):
        code = item["code"]
        if code in seen or not _CODE.match(code):
            raise ValueError(f"kuesioner.toml: kode pertanyaan ke-{i} '{code}' ganda atau tidak sah")
        seen.add(code)
        if item["type"] not in TYPES:
            raise ValueError(f"kuesioner.toml: jenis '{item['type']}' pada '{code}' tidak dikenal")
        options = tuple(
            Option(o["code"], o["text"], tuple(o.get("aliases", ())), o.get("tracer"))
            for o in item.get("options", ())
        )
        questions.append(Question(
            code=code,
            text=item["text"],
            type=item["type"],
            section=item.get("section", ""),
            required_for=frozenset(item.get("required_for", ())),
            options=options,
            other=bool(item.get("other", False)),
            tracer=item.get("tracer"),
            label=item.get("label", ""),
            label_by_status=tuple(item.get("label_by_status", {}).items()),
            help=item.get("help", ""),
        ))
    return Questionnaire(data.get("title", ""), str(data.get("version", "")), questions,
                         data.get("sections", {}))


@cache
def load_questionnaire() -> Questionnaire:
    """The shipped questionnaire, read once."""
    text = resources.files("kebekerjaan").joinpath("data/kuesioner.toml").read_text(encoding="utf-8")
    return _build(tomllib.loads(text))


def option_code(field: str, answer: object) -> str | None:
    return load_questionnaire().option_code(field, answer)


def split_multi(field: str, answer: object) -> tuple[list[str], str | None]:
    return load_questionnaire().split_multi(field, answer)


def required_fields(status: str | None) -> list[str]:
    return load_questionnaire().required_fields(status)


def validate_answer(answer: Mapping[str, object]) -> list[str]:
    return load_questionnaire().validate_answer(answer)
