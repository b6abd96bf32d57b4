"""`kebekerjaan formulir`: the Apps Script creates the form the questionnaire describes.

Google cannot run in a test. The plan the script is made from is checked against the
questionnaire; the script text is checked to carry every wording exactly; and, where
node is installed, the script itself is run against a recording stand-in of FormApp, so
what it would build in Google (items, pages, jumps, logged settings) is checked too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from kebekerjaan.cli import main
from kebekerjaan.core.workspace import init_workspace
from kebekerjaan.rules.questionnaire import OTHER, load_questionnaire
from kebekerjaan.steps.answers.formulir import LAST, build_plan, render_script

Q = load_questionnaire()
PLAN = build_plan(Q)
SCRIPT = render_script(PLAN, Q.version)

# A stand-in for FormApp that records what the script asks Google to build.
FAKE_FORMAPP = r"""
const built = {items: [], logs: [], settings: {}};
let nextId = 1000;
function item(kind) {
  const it = {kind, id: nextId++, title: null, help: null, required: null, choices: null,
              other: false, goto: null, includesYear: null};
  const self = {
    _it: it,
    setTitle(t) { it.title = t; return self; }, setHelpText(t) { it.help = t; return self; },
    setRequired(r) { it.required = r; return self; },
    setChoiceValues(v) { it.choices = v.map(x => ({value: x, page: null})); return self; },
    showOtherOption(o) { it.other = o; return self; },
    setIncludesYear(y) { it.includesYear = y; return self; },
    createChoice(value, page) { return {value, page: page ? page._it.id : null}; },
    setChoices(cs) { it.choices = cs; return self; },
    setGoToPage(p) { it.goto = p._it.id; return self; },
    createResponse(v) { return {item: it, value: v}; },
    asTextItem() { return self; },
    getId() { return it.id; }, getType() { return it.kind; }, getTitle() { return it.title; },
  };
  built.items.push(it);
  return self;
}
const all = [];
const form = {
  setDescription(d) { built.settings.description = d; },
  setConfirmationMessage(m) { built.settings.confirmation = m; },
  setCollectEmail(c) { built.settings.collectEmail = c; },
  setProgressBar() {}, setShowLinkToRespondAgain() {},
  addTextItem() { const i = item("TEXT"); all.push(i); return i; },
  addDateItem() { const i = item("DATE"); all.push(i); return i; },
  addMultipleChoiceItem() { const i = item("MULTIPLE_CHOICE"); all.push(i); return i; },
  addCheckboxItem() { const i = item("CHECKBOX"); all.push(i); return i; },
  addPageBreakItem() { const i = item("PAGE_BREAK"); all.push(i); return i; },
  getItems(type) { return all.filter(i => !type || i._it.kind === type); },
  createResponse() {
    const parts = [];
    const r = {withItemResponse(x) { parts.push(x); return r; },
               toPrefilledUrl() {
                 return "https://docs.google.com/forms/d/e/FORMID/viewform?usp=pp_url" +
                   parts.map(p => "&entry." + (p.item.id + 5000) + "=" +
                                  encodeURIComponent(p.value)).join("");
               }};
    return r;
  },
  getEditUrl() { return "https://docs.google.com/forms/d/FORMID/edit"; },
  getPublishedUrl() { return "https://docs.google.com/forms/d/e/FORMID/viewform"; },
};
const FormApp = {create(title) { built.settings.title = title; return form; },
                 ItemType: {TEXT: "TEXT"}};
const Logger = {log(x) { built.logs.push(String(x)); }};
"""


def test_every_question_is_an_item_with_its_exact_wording_choices_and_help():
    items = {i.code: i for i in PLAN.items}
    assert len(items) == len(PLAN.items)  # each question once
    assert sorted(items) == sorted(q.code for q in Q.questions)
    for q in Q.questions:
        item = items[q.code]
        assert item.title == q.text and item.help == q.help, q.code
        expected = [o.text for o in q.options if not (q.other and o.code == OTHER)]
        assert list(item.choices) == expected, q.code
        assert item.other == q.other, q.code
        assert item.kind == {"single": "choice", "multi": "checkbox"}.get(q.type, q.type)


def test_required_on_the_form_exactly_when_every_status_seeing_it_requires_it():
    for page in PLAN.pages:
        for item in page.items:
            q = Q[item.code]
            expected = "*" in q.required_for or (page.key != "awal" and page.statuses <= q.required_for)
            assert item.required == expected, item.code
    assert not next(i for i in PLAN.items if i.code == "kode").required


def test_status_answer_leads_to_the_pages_meant_for_it():
    employer_questions = {"employer", "position", "job_source", "start_date", "income"}
    for status in Q.statuses:
        seen = {i.code for key in PLAN.path(status) for i in PLAN.page(key).items}
        asked = {q.code for q in Q.questions if q.required(status)}
        assert asked <= seen, status  # every question the status must answer is on its way
        assert "consent" in seen and "kode" in seen
        if status == "bekerja":
            assert employer_questions <= seen
        elif status == "wirausaha":
            assert "employer" in seen and "position" not in seen and "job_source" not in seen
        else:
            assert not seen & employer_questions, status
    assert PLAN.path("mencari") == ["awal", LAST]


def test_script_text_carries_every_wording_exactly():
    for q in Q.questions:
        assert f".setTitle({json.dumps(q.text, ensure_ascii=False)})" in SCRIPT, q.code
        for o in q.options:
            if not (q.other and o.code == OTHER):
                assert json.dumps(o.text, ensure_ascii=False) in SCRIPT, (q.code, o.code)
    for status in Q.statuses:
        text = json.dumps(Q.status_label(status), ensure_ascii=False)
        assert re.search(rf"createChoice\({re.escape(text)}, pages\[\"\w+\"\]\)", SCRIPT), status
    assert "toPrefilledUrl()" in SCRIPT and "prefill_link = " in SCRIPT and "code_entry = " in SCRIPT


@pytest.mark.skipif(shutil.which("node") is None, reason="node tidak terpasang")
def test_the_script_run_against_formapp_builds_the_planned_form(tmp_path):
    runner = tmp_path / "run.js"
    runner.write_text(FAKE_FORMAPP + SCRIPT + "\nbuatFormulir();\nconsole.log(JSON.stringify(built));\n",
                      encoding="utf-8")
    out = subprocess.run(["node", str(runner)], capture_output=True, text=True, timeout=60, check=True)
    built = json.loads(out.stdout)
    assert built["settings"]["title"] == Q.title and built["settings"]["collectEmail"] is False
    questions = [i for i in built["items"] if i["kind"] != "PAGE_BREAK"]
    assert [i["title"] for i in questions] == [i.title for i in PLAN.items]
    assert sorted(i["title"] for i in questions) == sorted(q.text for q in Q.questions)
    by_title = {i["title"]: i for i in questions}
    for item in PLAN.items:
        made = by_title[item.title]
        assert made["required"] == item.required and made["help"] == item.help
        assert [c["value"] for c in made["choices"] or []] == list(item.choices)
        assert made["other"] == item.other
    # Pages: in order, each question after the page break of its page.
    breaks = {i["title"]: i["id"] for i in built["items"] if i["kind"] == "PAGE_BREAK"}
    assert list(breaks) == [p.title for p in PLAN.pages[1:]]
    page_of = {}
    current = None
    for i in built["items"]:
        if i["kind"] == "PAGE_BREAK":
            current = i["title"]
        else:
            page_of[i["title"]] = current
    for page in PLAN.pages:
        for item in page.items:
            assert page_of[item.title] == (None if page.key == "awal" else page.title)
    # The status choices jump to the first page of each status's way.
    status = by_title[Q["status"].text]
    target = {c["value"]: c["page"] for c in status["choices"]}
    for code in Q.statuses:
        first = PLAN.page(PLAN.path(code)[1])
        assert target[Q.status_label(code)] == breaks[first.title], code
    # Logged: the three settings lines, the code entry being the respondent-code item's.
    logs = built["logs"]
    kode_id = by_title[Q["kode"].text]["id"]
    assert f'code_entry = "entry.{kode_id + 5000}"' in logs
    assert (f'prefill_link = "https://docs.google.com/forms/d/e/FORMID/viewform?usp=pp_url'
            f'&entry.{kode_id + 5000}=KODE"') in logs
    assert any(line.startswith('form_link = "') for line in logs)
    assert any(line.startswith(f"isian entry.{kode_id + 5000} = Kode responden") for line in logs)


def test_command_writes_script_and_howto_into_the_workspace(tmp_path, capsys):
    ws = init_workspace(tmp_path / "ws")
    assert main(["formulir", "--workspace", str(ws.root)]) == 0
    printed = capsys.readouterr().out
    script = ws.outputs / "formulir" / "buat_formulir.gs"
    howto = ws.outputs / "formulir" / "cara_membuat_formulir.md"
    assert str(script) in printed and str(howto) in printed
    assert script.read_text(encoding="utf-8") == SCRIPT
    text = howto.read_text(encoding="utf-8")
    assert "script.google.com" in text and "prefill_link" in text and "code_entry" in text
