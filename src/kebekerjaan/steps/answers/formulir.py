"""The Google Form, built from the questionnaire (`kebekerjaan formulir`).

No program can create a Google Form without a Google account, so this writes a Google
Apps Script (templates/formulir/buat_formulir.gs.j2) that staff paste into
script.google.com and run once. The script is generated from a plan (FormPlan) built
from data/kuesioner.toml: pages, items with their exact wording, choices, required
flags and help text, and where each status answer leads. Tests inspect the plan and the
script text; staff check the form by hand (docs/panduan/06-isi-status.md).

Layout: page 1 holds the identity questions and the status question; each group of
questions asked only for some statuses (`required_for`) gets a page of its own, and
the status choices jump to the first page meant for them; the questions for everyone
(consent) close the form. A question is required on the form when every status that
sees its page requires it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from kebekerjaan.core.errors import KebekerjaanError
from kebekerjaan.rules.questionnaire import (
    ALL_STATUSES,
    OTHER,
    Question,
    Questionnaire,
    load_questionnaire,
)

__all__ = ["CODE_PLACEHOLDER", "FormItem", "FormPage", "FormPlan", "build_plan", "write_form_script"]

# What the script puts in the respondent-code item of the pre-filled link; the
# invitation step replaces it with each alumnus's code ([survey] prefill_link).
CODE_PLACEHOLDER = "KODE"
CODE_FIELD = "kode"
FIRST, LAST = "awal", "akhir"
SCRIPT_NAME = "buat_formulir.gs"
HOWTO_NAME = "cara_membuat_formulir.md"
# FormApp item kind per questionnaire type.
KINDS = {"text": "text", "date": "date", "single": "choice", "multi": "checkbox"}


@dataclass(frozen=True)
class FormItem:
    code: str
    kind: str  # text | date | choice | checkbox
    title: str
    help: str
    required: bool
    choices: tuple[str, ...] = ()
    other: bool = False  # the form's own "Yang lain" box stands for the option "Lainnya"
    goto: tuple[tuple[str, str], ...] = ()  # (choice, page key) for the status item


@dataclass(frozen=True)
class FormPage:
    key: str
    title: str
    help: str
    statuses: frozenset[str]  # who sees the page
    items: tuple[FormItem, ...]
    after: str | None = None  # page key to go to after this page; None: the next page


@dataclass
class FormPlan:
    title: str
    description: str
    confirmation: str
    pages: list[FormPage] = field(default_factory=list)
    status_choices: dict[str, str] = field(default_factory=dict)  # status code -> choice text

    @property
    def items(self) -> list[FormItem]:
        return [item for page in self.pages for item in page.items]

    def page(self, key: str) -> FormPage:
        return next(p for p in self.pages if p.key == key)

    def path(self, status: str) -> list[str]:
        """The page keys an alumnus with `status` goes through, following the jumps."""
        status_item = next(i for i in self.items if i.code == "status")
        keys = [self.pages[0].key, dict(status_item.goto)[self.status_choices[status]]]
        while keys[-1] != self.pages[-1].key:
            page = self.page(keys[-1])
            index = self.pages.index(page)
            keys.append(page.after or self.pages[index + 1].key)
        return keys

    def jumps(self) -> list[tuple[str, str]]:
        """(page break, page to go to): FormApp sets the jump after a page on the page
        break that follows it."""
        return [(self.pages[i + 1].key, page.after) for i, page in enumerate(self.pages)
                if page.after and i + 1 < len(self.pages)]


def _item(q: Question, statuses: frozenset[str]) -> FormItem:
    required = ALL_STATUSES in q.required_for or bool(statuses) and statuses <= q.required_for
    options = [o for o in q.options if not (q.other and o.code == OTHER)]
    return FormItem(q.code, KINDS[q.type], q.text, q.help, required,
                    tuple(o.text for o in options), q.other)


def build_plan(q: Questionnaire | None = None, institution: str = "BPVP Kendari") -> FormPlan:
    """The form's pages and items from the questionnaire (see module docstring)."""
    q = q or load_questionnaire()
    if CODE_FIELD not in q:
        raise KebekerjaanError("kuesioner.toml tidak punya pertanyaan 'kode' (kode responden).")
    statuses = frozenset(q.statuses)
    codes = [x.code for x in q.questions]
    cut = codes.index("status")
    first = [x for x in q.questions[:cut + 1]]
    groups: dict[frozenset[str], list[Question]] = {}
    last: list[Question] = []
    for x in q.questions[cut + 1:]:
        if ALL_STATUSES in x.required_for or not x.required_for:
            last.append(x)
        else:
            groups.setdefault(frozenset(x.required_for), []).append(x)
    # Pages for fewer statuses first: "Bekerja" only, then "Bekerja" and "Wirausaha".
    order = sorted(groups, key=lambda s: (len(s), codes.index(groups[s][0].code)))

    def section_title(x: Question) -> str:
        return q.sections.get(x.section) or x.section.capitalize()

    pages: list[FormPage] = []
    for i, who in enumerate(order):
        labels = ", ".join(q.status_label(s) for s in q.statuses if s in who)
        pages.append(FormPage(f"bagian_{i + 1}", f"{section_title(groups[who][0])} — {labels}",
                              f"Bagian ini untuk alumni yang berstatus: {labels}.", who,
                              tuple(_item(x, who) for x in groups[who])))
    closing = FormPage(LAST, section_title(last[0]) if last else "Selesai", "", statuses,
                       tuple(_item(x, statuses) for x in last))
    # Where each page leads: the next page meant for the same statuses, else the closing.
    linked: list[FormPage] = []
    for i, page in enumerate(pages):
        nexts = {next((p.key for p in pages[i + 1:] if s in p.statuses), LAST) for s in page.statuses}
        if len(nexts) != 1:
            raise KebekerjaanError(
                f"Susunan kuesioner tidak dapat dijadikan bagian formulir: setelah bagian "
                f"'{page.title}' status {', '.join(sorted(page.statuses))} menuju bagian berbeda."
            )
        (after,) = nexts
        following = pages[i + 1].key if i + 1 < len(pages) else LAST
        linked.append(FormPage(page.key, page.title, page.help, page.statuses, page.items,
                               None if after == following else after))
    status_q = q["status"]
    goto = tuple((o.text, next((p.key for p in linked if o.code in p.statuses), LAST))
                 for o in status_q.options)
    first_items = tuple(
        FormItem(x.code, "choice", x.text, x.help, True, tuple(o.text for o in x.options),
                 False, goto) if x.code == "status" else _item(x, frozenset())
        for x in first
    )
    opening = FormPage(FIRST, section_title(first[0]), "", statuses, first_items)
    plan = FormPlan(
        title=q.title,
        description=(f"Survei kebekerjaan alumni pelatihan {institution}. Jawaban Anda membantu "
                     "kami memperbaiki pelatihan dan informasi lowongan kerja."),
        confirmation=f"Terima kasih. Jawaban Anda sudah kami terima — {institution}.",
        pages=[opening, *linked, closing],
        status_choices={o.code: o.text for o in status_q.options},
    )
    return plan


def render_script(plan: FormPlan, questionnaire_version: str = "") -> str:
    """The Apps Script text that creates the planned form."""
    import jinja2

    from kebekerjaan.io.messages import shipped_templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped_templates_dir() / "formulir"), encoding="utf-8"),
        undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # JSON string literals are JavaScript string literals: wording goes in exactly.
    env.filters["js"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env.get_template(SCRIPT_NAME + ".j2").render(
        plan=plan, version=questionnaire_version, code_field=CODE_FIELD,
        placeholder=CODE_PLACEHOLDER,
    )


def render_howto(script: Path) -> str:
    import jinja2

    from kebekerjaan.io.messages import shipped_templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(shipped_templates_dir() / "formulir"), encoding="utf-8"),
        undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True,
    )
    return env.get_template(HOWTO_NAME + ".j2").render(script=script.name,
                                                       placeholder=CODE_PLACEHOLDER)


def write_form_script(ws) -> tuple[Path, Path]:
    """Write outputs/formulir/buat_formulir.gs and its Indonesian how-to; return both paths."""
    settings = ws.settings()
    q = load_questionnaire()
    plan = build_plan(q, settings.institution.short_name or "BPVP")
    folder = ws.outputs / "formulir"
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / SCRIPT_NAME
    script.write_text(render_script(plan, q.version), encoding="utf-8")
    howto = folder / HOWTO_NAME
    howto.write_text(render_howto(script), encoding="utf-8")
    return script, howto
