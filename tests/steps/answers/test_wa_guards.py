"""Issue 15: the guards that send an uncertain WhatsApp reply to staff instead of taking
it outright, checked on the verdict itself with the model's probabilities given."""

from __future__ import annotations

import numpy as np

from kebekerjaan.core.config import load_settings
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.classify import (
    DOUBT_MAX,
    NOT_STATUS_DOUBT,
    NOT_STATUS_OVER_RULE,
    OUTRIGHT_MIN,
    PAST_RIVAL,
    SURE_STATUS_MASS,
    combine,
    doubt_features,
    status_doubt,
)
from kebekerjaan.steps.answers.model import load_model
from kebekerjaan.steps.answers.wa_rules import rule_hits


def verdict(text: str, **probs: float):
    model = load_model()
    rest = (1.0 - sum(probs.values())) / (len(model.classes) - len(probs))
    p = np.array([probs.get(c, rest) for c in model.classes])
    return combine(text, rule_hits(text), p, model.classes,
                   frozenset(load_questionnaire().statuses), model.thresholds,
                   load_settings(None).answers.review_below)


def test_past_and_present_go_to_review_when_the_model_weighs_another_status():
    text = "dulu kerja di pabrik roti, skrg buka warung sendiri"
    v = verdict(text, wirausaha=0.9, bekerja=PAST_RIVAL + 0.02)
    assert (v.status, v.review) == ("wirausaha", True)
    assert "dulu dan kini" in v.notes[-1]


def test_past_and_present_taken_when_the_model_weighs_no_other_status():
    v = verdict("dulu kerja di pabrik roti, skrg buka warung sendiri",
                wirausaha=0.97, bekerja=0.001, mencari=0.001, studi=0.001,
                belum_memungkinkan=0.001)
    assert (v.status, v.review) == ("wirausaha", False)


def test_a_reply_without_an_earlier_state_is_not_held_by_that_guard():
    v = verdict("skrg buka warung sendiri di rumah", wirausaha=0.9, bekerja=PAST_RIVAL + 0.02)
    assert (v.status, v.review) == ("wirausaha", False)


def test_chit_chat_is_surely_no_status_only_when_the_model_gives_statuses_little_weight():
    weights = dict(bekerja=0.002, wirausaha=0.002, mencari=0.002, studi=0.002,
                   belum_memungkinkan=0.002)
    sure = verdict("mantap pak, semoga sukses selalu", obrolan=0.95, **weights)
    assert sure.ignore_reason and sure.sure
    weights["mencari"] = SURE_STATUS_MASS
    unsure = verdict("mantap pak, semoga sukses selalu", obrolan=0.93, **weights)
    assert unsure.ignore_reason and not unsure.sure


def test_a_status_the_model_gives_little_weight_is_not_taken_outright():
    v = verdict("skrg buka warung sendiri di rumah", wirausaha=OUTRIGHT_MIN - 0.05, bekerja=0.1)
    assert (v.status, v.review) == ("wirausaha", True)
    assert "kurang yakin" in v.notes[-1]
    # Well above it (just above, the doubt guard weighs how far it leads the next kind).
    sure = verdict("skrg buka warung sendiri di rumah", wirausaha=OUTRIGHT_MIN + 0.3,
                   bekerja=0.05)
    assert (sure.status, sure.review) == ("wirausaha", False)


def test_a_post_from_the_sender_loses_the_rules_status_when_the_model_reads_a_post():
    # "saya jual ..." is a business for the rules; the model may read a post to the group.
    text = "saya jual kue kering, minat japri"
    assert [h.rule.status for h in rule_hits(text).hits] == ["wirausaha"]
    v = verdict(text, pengumuman=NOT_STATUS_OVER_RULE + 0.05, wirausaha=0.2)
    assert v.status is None and v.review
    kept = verdict(text, wirausaha=0.9)
    assert (kept.status, kept.review) == ("wirausaha", False)


def test_one_thing_for_sale_or_a_question_about_work_gives_no_status_even_when_the_model_does():
    # The rules set the status words aside ("bekas", "nego"; a question with no "sudah",
    # "masih"...): a model sure of a status is not enough, staff look, nothing proposed.
    for text in ("saya jual motor bekas, surat lengkap, nego",
                 "Kerja di kapal itu berapa bulan baru pulang ya kak?"):
        reading = rule_hits(text)
        assert reading.set_aside and not reading.hits
        v = verdict(text, wirausaha=0.9) if "jual" in text else verdict(text, bekerja=0.95)
        assert v.status is None and v.review
        assert "pertanyaan atau iklan jual barang" in v.notes[-1]
    # A status told beside a question stays a status.
    assert [h.rule.status for h in rule_hits("saya masih cari kerja, ada info loker?").hits][:1] \
        == ["mencari"]


def test_a_status_with_much_weight_on_someone_elses_news_is_asked_without_a_proposal():
    text = "alhamdulillah sudah kerja di PT Maju"
    v = verdict(text, bekerja=0.62, orang_lain=NOT_STATUS_DOUBT + 0.02)
    assert v.status is None and v.review
    assert "kabar orang lain" in v.notes[-1]


def test_a_long_message_the_model_is_only_fairly_sure_of_is_asked_not_taken():
    """The doubt guard (DOUBT_WEIGHTS): the same figures that give a short answer its
    status send a long message (news, a story, a post) to review with nothing proposed."""
    short = "sdh kerja di PT Antam pak"
    long = ("Kemarin ketemu teman lama di pasar, ngobrol panjang soal kerjaan di Morosi, "
            "katanya sekarang lagi banyak penerimaan bagian gudang dan operator, kerja di "
            "sana enak asal kuat shift malam")
    taken = verdict(short, bekerja=0.8)
    assert (taken.status, taken.review) == ("bekerja", False)
    asked = verdict(long, bekerja=0.8)
    assert (asked.status, asked.review) == (None, True)
    assert "ragu apakah pesan ini memang status pengirim sendiri" in asked.notes[-1]
    # ... and the model surer of it is what lets a long reply through.
    assert verdict(long, bekerja=0.999).status == "bekerja"


def test_the_doubt_grows_with_the_non_status_weight_and_the_length():
    statuses = frozenset(load_questionnaire().statuses)
    classes = load_model().classes

    def risk(p_status, other, words):
        rest = (1.0 - p_status - other) / (len(classes) - 2)
        p_of = {c: p_status if c == "bekerja" else other if c == "obrolan" else rest
                for c in classes}
        return status_doubt(doubt_features(p_of, "bekerja", statuses, " ".join(["kata"] * words)))

    assert risk(0.8, 0.05, 6) < risk(0.8, 0.15, 6) < DOUBT_MAX < risk(0.8, 0.15, 40)
    assert risk(0.95, 0.01, 6) < risk(0.95, 0.01, 30)
