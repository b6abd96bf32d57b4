"""Issue 15, third round: whose status a clause gives (wa_rules._subject), and the words
the model reads marked by clause (Reading.marked)."""

from __future__ import annotations

import pytest

from kebekerjaan.steps.answers.model import word_text
from kebekerjaan.steps.answers.wa_rules import read


def statuses(text):
    r = read(text)
    return sorted({h.rule.status for h in r.hits}), sorted({h.rule.status for h in r.others})


@pytest.mark.parametrize("text, want", [
    # The sender bringing someone's news: that person's status, not the sender's.
    ("Saya mau kabarkan teman saya Rudi sudah kerja di bengkel Honda", ([], ["bekerja"])),
    ("Saya sampaikan bahwa anak saya sudah bekerja di PT Antam", ([], ["bekerja"])),
    ("saya punya adik sudah kerja di Morosi", ([], ["bekerja"])),
    # ... but the sender's own news stays theirs.
    ("Saya sampaikan, saya sudah kerja di hotel", (["bekerja"], [])),
    # A relative after "mengurus", "dengan": the object, not who works.
    ("sambil mengurus anak saya terima jahitan di rumah", (["wirausaha"], [])),
    ("buka warung makan dengan suami saya", (["wirausaha"], [])),
    # English: "studying" without "I" is not the sender's.
    ("My son is studying in Makassar now", ([], [])),
    # Someone told by a given name opening the clause, after a title, "itu", "si".
    ("Info saja pak, Dedi alumni TIK sudah diterima honorer di Bappeda", ([], ["bekerja"])),
    ("Pak, itu Dimas masih cari kerja", ([], ["mencari"])),
    ("La Ode Hamid yg dari otomotif sdh buka bengkel sendiri", ([], ["wirausaha"])),
    ("Saya titip kabar: Andi teman sekamar dulu sdh lulus PPPK", ([], ["bekerja"])),
    # ... but a name then a vocation, or a filled-in form, is the sender answering a roll call.
    ("Asrul otomotif 2023 blm kerja bu msh cari2", (["mencari"], [])),
    ("Nama: Wa Ode Nurhayati Status: Wirausaha, jual kue", (["wirausaha"], [])),
    # A name said to someone (with a comma) is no subject.
    ("Siap Pak Andi, sudah kerja di Morosi", (["bekerja"], [])),
])
def test_whose_status_a_reply_gives(text, want):
    own, others = statuses(text)
    assert set(want[0]) <= set(own) and (own == [] if not want[0] else True)
    assert others == want[1]


def test_the_model_reads_earlier_states_and_others_news_as_other_words():
    assert word_text("dulu kerja di pabrik, sekarang buka warung").split()[:3] == [
        "p_dulu", "p_kerja", "p_di"]
    assert all(w.startswith("o_") for w in word_text("adik saya sudah kerja di PT Maju").split())
    # Nothing marked when the reply is the sender's present only.
    assert word_text("sudah kerja di PT Maju") == "sudah kerja di pt maju"
