"""Survey status from alumni messages: rules, negations, employer names, review."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.core.config import load_settings
from kebekerjaan.steps.answers.whatsapp import classify_messages, parse_chat


def frame(*messages, start=datetime(2026, 11, 1, 8, 0)):
    """Messages as (sender, text) or (sender, text, days after start)."""
    rows = []
    for i, m in enumerate(messages):
        sender, text, days = (*m, 0) if len(m) == 2 else m
        rows.append({"sent_at": start + timedelta(days=days, minutes=i), "sender": sender,
                     "sender_phone": None, "text": text, "line_start": i + 1, "is_media": False,
                     "is_poll": False, "is_deleted": False})
    return pd.DataFrame(rows)


def one(text):
    return classify_messages(frame(("Ani", text))).iloc[0]


@pytest.mark.parametrize("text,status,employer", [
    ("Alhamdulillah diterima di PT Maju Jaya", "bekerja", "PT Maju Jaya"),
    ("alhamdulillah sdh diterima kerja di PT. Antam Tbk, terima kasih pak", "bekerja", "PT. Antam Tbk"),
    ("sudah kerja di CV Sinar Las bagian welder", "bekerja", "CV Sinar Las"),
    ("Skrg kerja di Hotel Claro Kendari sebagai waiter", "bekerja", "Hotel Claro Kendari"),
    ("sekarang kerja di kendari", "bekerja", None),  # a place, not an employer
    ("saya sudah bekerja pak", "bekerja", None),
    ("buka usaha bengkel sendiri di rumah", "wirausaha", "bengkel"),
    ("Alhamdulillah sudah buka Bengkel Las Berkah", "wirausaha", "Bengkel Las Berkah"),
    ("jualan online kak", "wirausaha", None),
    ("usaha sendiri, salon", "wirausaha", None),
    ("masih mencari kerja pak", "mencari", None),
    ("blm kerja kak", "mencari", None),
    ("masih nganggur 😅", "mencari", None),
    ("lanjut kuliah di UHO", "studi", None),
    ("lagi hamil, belum bisa kerja dulu", "belum_memungkinkan", None),
])
def test_examples(text, status, employer):
    row = one(text)
    assert (row["status"], row["employer"]) == (status, employer)
    assert row["rule"] and not row["ignored"]


@pytest.mark.parametrize("text", [
    "belum kerja di mana-mana",
    "belum diterima di PT Maju Jaya",
    "saya tidak kerja di PT Maju Jaya lagi",
    "masih cari kerja di Kendari",
])
def test_negated_or_searching_is_never_bekerja(text):
    assert one(text)["status"] != "bekerja"


def test_rules_for_two_statuses_go_to_review_with_the_reason():
    row = one("kerja di PT Maju Jaya, kuliah di UHO juga")
    assert row["review"] and "bekerja" in row["note"] and "studi" in row["note"]


def test_a_past_state_gives_way_to_the_present_one():
    row = one("dulu masih nganggur, sekarang sudah kerja di PT Maju Jaya")
    assert (row["status"], row["review"]) == ("bekerja", False)


def test_low_confidence_goes_to_review():
    row = one("alhamdulillah lolos seleksi di PT Vale")
    assert row["status"] == "bekerja" and row["review"] and "keyakinan rendah" in row["note"]
    assert not one("Alhamdulillah diterima di PT Maju Jaya")["review"]


def test_disagreeing_replies_of_one_sender_go_to_review():
    out = classify_messages(frame(("Ani", "sudah kerja di PT A"), ("Budi", "belum kerja"),
                                  ("Ani", "masih cari kerja", 3), ("Budi", "belum kerja juga", 5)))
    assert out["review"].tolist() == [True, False, True, False]
    assert "juga menjawab mencari" in out.loc[0, "note"]
    # Months apart it is a change of status, not a disagreement.
    later = classify_messages(frame(("Ani", "masih cari kerja"), ("Ani", "diterima di PT A", 120)))
    assert later["review"].tolist() == [False, False]


def test_phone_identifies_the_sender_across_display_names():
    df = frame(("Ani", "sudah kerja di PT A"), ("Ani W", "belum kerja"))
    df["sender_phone"] = "+6281234567801"
    assert classify_messages(df)["review"].all()


def test_chit_chat_media_polls_and_questions_are_ignored_and_counted():
    df = frame(("Ani", "Selamat pagi semua"), ("Budi", "terima kasih pak 🙏"),
               ("Cici", "<Media tidak disertakan>"), ("Admin", "SURVEI:\nSudah kerja?"),
               ("Dedi", "Pesan ini telah dihapus"), ("Eka", "siapa yang sudah kerja?"),
               ("Fajar", "info loker: dibutuhkan operator di PT B"), ("Gita", "sudah kerja di PT C"))
    df.loc[2, "is_media"] = True
    df.loc[3, "is_poll"] = True
    df.loc[4, "is_deleted"] = True
    out = classify_messages(df)
    assert out["ignore_reason"].tolist() == [
        "obrolan (bukan status)", "obrolan (bukan status)", "media", "survei/polling WhatsApp",
        "pesan dihapus", "pertanyaan atau pengumuman", "info lowongan", None]
    assert out.attrs["ignored"] == 7
    assert out.attrs["counts"] == {"pesan": 8, "berstatus": 1, "diabaikan": 7, "periksa": 0}


def test_staff_senders_from_settings_are_ignored(tmp_path):
    (tmp_path / "kebekerjaan.toml").write_text(
        '[answers]\nstaff_senders = ["Admin BPVP", "0811 1111 2222"]\n')
    settings = load_settings(tmp_path / "kebekerjaan.toml")
    df = frame(("Admin BPVP", "sudah kerja di PT A semua"), ("+62 811-1111-2222", "sudah kerja"),
               ("Ani", "sudah kerja"))
    df.loc[1, "sender_phone"] = "+6281111112222"
    out = classify_messages(df, settings)
    assert out["ignore_reason"].tolist() == ["pesan admin/staf", "pesan admin/staf", None]


def test_fixture_chat_end_to_end(fixtures_dir):
    chat = parse_chat(fixtures_dir / "wa" / "android_id_24h.txt")
    out = classify_messages(chat.messages)
    got = out.loc[out["status"].notna(), ["sender", "status", "employer"]].values.tolist()
    assert got == [["+62 812-3456-7801", "bekerja", "PT Maju Jaya"],
                   ["+62 813-1111-2222", "mencari", None],
                   ["Wa Ode Sitti", "wirausaha", "jahitan"]]
    # Every message is classified, ignored, or sent to review without a status (the
    # admin's question listing the statuses, when the model is not sure it is a post).
    unplaced = int((out["review"] & out["status"].isna()).sum())
    assert unplaced <= 1
    assert (out.attrs["counts"]["berstatus"] + out.attrs["counts"]["diabaikan"] + unplaced
            == len(chat.messages))


@pytest.mark.parametrize("text,status,employer", [
    ("skrg sy kasir di Indomaret Wua-Wua kak", "bekerja", "Indomaret Wua-Wua"),  # a role, no "kerja"
    ("insyaallah senin depan mulai masuk kerja di PT Antam", "bekerja", None),  # starts next week
    ("sa masih nganggur ini kodong", "mencari", None),  # colloquial, Kendari particles
    ("belum pi dapat kerja kak", "mencari", None),
    ("sekarang jual kue kering di rumah", "wirausaha", None),  # a business by what is sold
    ("ikut pelatihan lagi di BLK Kendari pak", "studi", None),  # further training
])
def test_replies_as_a_pengantar_kerja_reads_them(text, status, employer):
    row = one(text)
    assert (row["status"], row["review"]) == (status, False)
    if employer:
        assert row["employer"] == employer


@pytest.mark.parametrize("text", [
    "selamat ya buat teman-teman yang sudah kerja 🎉",
    "semoga yang masih cari kerja cepat dapat",
    "buat yang sudah kerja, bagi-bagi info dong",
])
def test_talk_about_others_gets_no_status(text):
    row = one(text)
    assert row["status"] is None


def test_status_reply_ending_with_a_question_is_not_dropped():
    row = one("alhamdulillah sudah kerja di PT Vale pak, ada info loker lain kah?")
    assert row["status"] == "bekerja" or row["review"]
    assert not row["ignored"]


def test_unplaceable_reply_about_work_goes_to_review_not_dropped():
    # Read alone, the reply may be ignored, but never as surely no status; from an
    # alumnus (step 7's keep_known_senders) it then goes to staff with the reason.
    from kebekerjaan.steps.answers.classify import keep_known_senders

    alone = classify_messages(frame(("Ani", "ya begitulah kak, serabutan")))
    assert alone.iloc[0]["review"] or not alone.iloc[0]["sure"]
    row = keep_known_senders(alone, [True]).iloc[0]
    assert row["review"] and not row["ignored"] and row["status"] is None
    assert "tidak dapat digolongkan" in row["note"]


PIECES = st.sampled_from(["sudah kerja di PT Maju", "belum", "kerja", "?", "pak", "🙏", "mi",
                          "jual kue", "selamat", "yang", "lowongan", "kuliah", "buka", ",", "\n"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=15)), max_size=8))
def test_every_reply_is_answered_reviewed_or_ignored_with_a_reason(parts):
    row = one(" ".join(parts))
    if row["ignored"]:
        assert row["ignore_reason"] and row["status"] is None and not row["review"]
    else:
        assert row["status"] is not None or row["review"]


def test_a_reply_opening_with_the_senders_own_name_is_the_senders_answer():
    out = classify_messages(frame(
        ("Jumriati Ode", "Jumriati skrg kerja di Alfamart Wua-Wua"),  # roll call, own name
        ("Nurul Hidayah", "Jumriati skrg kerja di Alfamart Wua-Wua"),  # news of someone
        ("Ibu Sari", "Ibu saya sekarang kerja di Alfamart"),  # a relative, not the sender
    ))
    assert out.loc[0, "status"] == "bekerja"
    assert out.loc[1, "status"] is None
    assert out.loc[2, "status"] is None
    # The message itself is kept as written.
    assert out.loc[0, "text"] == "Jumriati skrg kerja di Alfamart Wua-Wua"


def test_a_long_chat_read_in_blocks_gets_the_same_verdicts(monkeypatch):
    # A big chat is read in blocks so the rules' readings stay cached across the model's
    # passes; where a block ends must not change what any reply gets.
    from kebekerjaan.steps.answers import classify

    texts = ["sudah kerja di PT Antam", "blm kerja, masih cari2", "mantap", "Adik saya kuliah",
             "jualan online kak", "terima kasih pak", "Saya tidak bersedia disurvei",
             "sy wiraswasta buka bengkel", "kuliah di UHO skrg", "hamil, blm bisa kerja"]
    chat = frame(*[(f"Alumni {i}", f"{t} {i}") for i, t in enumerate(texts * 3)])
    whole = classify_messages(chat)
    monkeypatch.setattr(classify, "READ_BLOCK", 4)
    blocks = classify_messages(chat)
    cols = ["status", "review", "ignore_reason", "confidence", "employer"]
    pd.testing.assert_frame_equal(whole[cols], blocks[cols])
    assert whole["status"].notna().sum() >= 15  # the texts are read, not all ignored
