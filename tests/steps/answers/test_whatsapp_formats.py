"""Real WhatsApp export shapes (issue 9): one fixture per case in tests/fixtures/wa/."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.core.context import StepContext
from kebekerjaan.steps.answers.collect import collect_answers
from kebekerjaan.steps.answers.whatsapp import decode_chat, parse_chat


@pytest.fixture
def wa(fixtures_dir):
    """tests/fixtures/wa/: WhatsApp chat exports (the README there says what each one holds)."""
    return fixtures_dir / "wa"


def texts(chat):
    return chat.messages["text"].tolist()


def test_ios_text_that_reads_like_a_notice_is_a_message(wa):
    chat = parse_chat(wa / "ios_notice_lookalikes.txt")
    assert texts(chat)[:4] == ["Abis keluar", "baru bergabung", "saya sekarang menjadi admin",
                               "di toko bangunan Sinar Jaya"]
    assert chat.messages["sender"].tolist()[:3] == ["Rahmat", "Nurul", "Ilham"]
    # The marked lines are notices: encryption, "Abis keluar" by the chat itself, a join,
    # a setting change worded in a way no pattern knows (sent by the chat's name), and an
    # unmarked notice from the chat's name.
    assert chat.line_kinds == {"pesan": 6, "lanjutan": 0, "sistem": 5, "tanpa_induk": 0}
    # A marked attachment by an alumnus stays a (media) message.
    assert chat.messages["is_media"].tolist() == [False, False, False, False, True, False]


def test_configured_order_wins_when_dates_and_chronology_tie(wa):
    path = wa / "ios_id_us_region.txt"
    chat = parse_chat(path, default_order="bulan-hari")
    assert chat.date_order == "bulan-hari" and "pengaturan" in chat.reason
    assert chat.messages["sent_at"].tolist()[0] == datetime(2025, 1, 10, 21, 41, 35)
    day_first = parse_chat(path, default_order="hari-bulan")
    assert day_first.messages["sent_at"].tolist()[0] == datetime(2025, 10, 1, 21, 41, 35)


def test_configured_order_from_settings(tmp_path, wa):
    from kebekerjaan.core.config import load_settings

    (tmp_path / "kebekerjaan.toml").write_text('[answers]\nchat_date_order = "bulan-hari"\n')
    chat = parse_chat(wa / "ios_id_us_region.txt", load_settings(tmp_path / "kebekerjaan.toml"))
    assert chat.date_order == "bulan-hari"


def test_year_first_with_one_digit_month_and_day(wa):
    chat = parse_chat(wa / "year_first_short.txt")
    assert chat.date_order == "tahun-bulan-hari"
    assert chat.messages["sent_at"].tolist() == [
        datetime(2026, 7, 9, 23, 39, 3), datetime(2026, 7, 10, 6, 5), datetime(2026, 10, 1, 8, 0)]


def test_two_spaces_before_the_dash(wa):
    chat = parse_chat(wa / "two_spaces_dash.txt")
    assert chat.line_kinds["sistem"] == 0
    assert chat.messages["sender"].tolist() == ["R", "Hasrul"]
    assert chat.messages["sent_at"].tolist()[0] == datetime(2025, 12, 10, 22, 36)
    assert texts(chat)[0] == "masih nganggur kak"


def test_name_colon_text_without_a_space(wa):
    chat = parse_chat(wa / "tight_sender.txt")
    assert chat.line_kinds["sistem"] == 0
    assert chat.messages["sender"].tolist() == ["Ani", "+62 812-3456-7801", "Beni"]
    assert chat.messages["sender_phone"].tolist()[1] == "+6281234567801"
    assert texts(chat) == ["sudah kerja di PT Maju Jaya", "lanjut kuliah di USN Kolaka",
                           "https://lowongan.example.com/123"]


def test_old_ios_time_colon_shape(wa):
    chat = parse_chat(wa / "ios_old_colon.txt")
    assert chat.messages["sent_at"].tolist() == [datetime(2015, 6, 13, 17, 56, 34),
                                                 datetime(2015, 6, 13, 17, 58, 2)]
    assert texts(chat) == ["sudah kerja di hotel pak", "belum kerja\nlagi cari"]


def test_attachments_deleted_and_waiting_messages(wa):
    m = parse_chat(wa / "with_media.txt").messages
    assert m["is_media"].tolist() == [True] * 6 + [False] * 4
    assert m["is_deleted"].tolist() == [False] * 6 + [True] + [False] * 3
    assert m["is_pending"].tolist() == [False] * 7 + [True, True, False]


def test_waiting_messages_are_neither_status_nor_chit_chat(wa):
    from kebekerjaan.steps.answers.whatsapp import classify_messages

    out = classify_messages(parse_chat(wa / "with_media.txt").messages)
    assert out["ignore_reason"].tolist()[:9] == ["media"] * 6 + ["pesan dihapus"] + [
        "pesan belum terunduh (menunggu pesan)"] * 2
    assert out["status"].tolist()[9] == "bekerja"


def test_utf16_with_and_without_byte_order_mark(wa):
    for name in ("utf16.txt", "utf16_no_bom.txt"):
        chat = parse_chat(wa / name)
        assert texts(chat) == ["buka usaha jahitan di Baubau 🙏",
                               "sdh kerja di PT Antam Pomalaa, terima kasih BPVP 😊"], name
        assert chat.bad_bytes_lines == 0


def test_one_invalid_byte_spoils_only_itself(wa):
    chat = parse_chat(wa / "invalid_byte.txt")
    assert texts(chat) == ["sudah kerja 😊", "buka warung kopi \ufffd di Unaaha ☕",
                           "lanjut kuliah di UHO 📚"]
    assert chat.bad_bytes_lines == 1 and "1 baris memuat byte" in chat.reason


def test_a_chat_without_any_message_is_logged_failed_and_read_again(ws, tmp_path, wa):
    path = ws.inbox("wa") / "obrolan.txt"
    shutil.copy(wa / "no_messages.txt", path)
    result = collect_answers(StepContext(ws, date(2026, 11, 27), tmp_path / "r1"))
    assert result.files[0].status == "failed"
    assert "tidak ada satu pun pesan" in result.files[0].message
    con = sqlite3.connect(ws.store_path)
    assert con.execute("SELECT status, message FROM import_log").fetchall()[0][0] == "gagal"
    # The same file is not taken as imported: it is tried again on the next run.
    again = collect_answers(StepContext(ws, date(2026, 11, 27), tmp_path / "r2"))
    assert again.files[0].status == "failed"



@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_without_crashing(data):
    text, bad = decode_chat(data)
    assert isinstance(text, str) and 0 <= bad <= text.count("\n") + 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=40), st.text(max_size=40))
def test_a_bad_byte_spoils_only_its_own_line(junk, good):
    good = good.replace("\n", " ").replace("\r", " ")
    text, _ = decode_chat(b"15/01/25 08.00 - Ani: " + junk.replace(b"\n", b" ") + b"\n"
                          + f"15/01/25 08.01 - Beni: {good}\n".encode())
    if "\x00" not in text:  # (a NUL-heavy line may read as UTF-16, a different file)
        assert text.split("\n")[1] == f"15/01/25 08.01 - Beni: {good}"
