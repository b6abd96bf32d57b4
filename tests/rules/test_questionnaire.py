"""The standard questionnaire: option codes, required fields, answer checks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kebekerjaan.core.config import load_settings
from kebekerjaan.io.headers import FieldNames
from kebekerjaan.rules.questionnaire import (
    load_questionnaire,
    option_code,
    required_fields,
    split_multi,
    validate_answer,
)
from kebekerjaan.steps.answers.forms import question_texts

Q = load_questionnaire()

COMPLETE_BEKERJA = {
    "name": "Budi", "phone": "+6281234567801", "status": "bekerja", "employer": "PT Maju Jaya",
    "position": "Operator", "employer_type": "swasta", "sector": "informasi",
    "location": "Kota Kendari", "start_date": "01/09/2026", "income": "2.5-4",
    "relevance": "erat", "job_source": "info_bpvp; teman_keluarga", "consent": "ya",
}


def test_status_codes_follow_the_tracer_study_core():
    assert Q.statuses == ("bekerja", "wirausaha", "mencari", "belum_memungkinkan", "studi")
    assert Q.status_label("mencari") == "Belum bekerja dan sedang mencari kerja"
    assert {o.code: o.tracer for o in Q["status"].options} == {
        "bekerja": "1", "wirausaha": "3", "mencari": "5", "belum_memungkinkan": "2", "studi": "4"}


def test_every_question_has_wording_type_and_known_required_statuses():
    for q in Q.questions:
        assert q.text and q.type in ("single", "multi", "text", "date")
        assert q.required_for <= set(Q.statuses) | {"*"}, q.code
        if q.type in ("single", "multi"):
            assert len(q.options) >= 2, q.code
    assert Q["job_source"].type == "multi"
    assert [o.code for o in Q["relevance"].options][0] == "sangat_erat"


def test_option_lookup_by_text_alias_or_code_ignoring_case_and_spaces():
    assert option_code("status", "  BEKERJA ") == "bekerja"
    assert option_code("status", "Bekerja (full time / part time)") == "bekerja"
    assert option_code("status", "wiraswasta") == "wirausaha"
    assert option_code("employer_type", "bumn / bumd") == "bumn"
    assert option_code("status", "Freelance") is None
    assert option_code("status", None) is None


@given(st.sampled_from([(q.code, o) for q in Q.questions for o in q.options]),
       st.lists(st.sampled_from(["upper", "lower", "spaces"]), max_size=3))
def test_option_text_in_any_case_or_spacing_finds_its_code(item, changes):
    field, option = item
    text = option.text
    for change in changes:
        text = text.upper() if change == "upper" else text.lower() if change == "lower" else f"  {text} "
    assert option_code(field, text) == option.code


def test_required_fields_depend_on_status():
    assert {"employer", "position", "job_source", "income"} <= set(required_fields("bekerja"))
    assert "employer" in required_fields("wirausaha") and "position" not in required_fields("wirausaha")
    searching = required_fields("mencari")
    assert "status" in searching and "consent" in searching and "employer" not in searching


def test_complete_answer_has_no_problems():
    assert validate_answer(COMPLETE_BEKERJA) == []
    assert validate_answer({"name": "Rina", "phone": "+6281234567802", "status": "studi",
                            "consent": "ya"}) == []


def test_problems_are_named_in_indonesian():
    answer = dict(COMPLETE_BEKERJA, employer=None, income="banyak", job_source=["info_bpvp", "nanya"],
                  start_date="kemarin")
    problems = validate_answer(answer)
    assert any("wajib diisi untuk status Bekerja" in p and "Nama perusahaan" in p for p in problems)
    assert any("'banyak'" in p and "bukan pilihan" in p for p in problems)
    assert any("'nanya'" in p for p in problems)
    assert any("tanggal 'kemarin'" in p for p in problems)
    assert validate_answer({"status": "kerja"}) == ["status 'kerja' tidak dikenal"]
    assert "status belum diisi" in validate_answer({})
    declined = validate_answer(dict(COMPLETE_BEKERJA, consent="tidak"))
    assert "alumni tidak bersedia datanya digunakan" in declined


def test_checkbox_answers_split_by_semicolon_or_comma_keeping_typed_other_text():
    assert split_multi("job_source", "Informasi lowongan dari BPVP;Teman atau keluarga") == (
        ["info_bpvp", "teman_keluarga"], None)
    assert split_multi("job_source", "Media sosial, Bursa kerja/job fair") == (
        ["media_sosial", "bursa_kerja"], None)
    assert split_multi("job_source", "Media sosial, Dari grup WA, alumni") == (
        ["media_sosial", "lainnya"], "Dari grup WA, alumni")
    assert split_multi("job_source", "") == ([], None)


def test_multi_choice_option_texts_hold_no_separator():
    for q in Q.questions:
        if q.type == "multi":
            assert all("," not in o.text and ";" not in o.text for o in q.options), q.code


def test_every_question_wording_is_read_as_its_field():
    names = FieldNames(load_settings(None).columns["respons"], question_texts())
    for q in Q.questions:
        assert names.exact(q.text)[0] == {q.code}, q.code
        assert names.exact(q.text)[1] in ("alias", "teks pertanyaan"), q.code
