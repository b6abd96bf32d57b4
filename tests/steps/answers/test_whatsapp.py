"""WhatsApp chat exports: every variant parsed to the right times, senders and texts;
every physical line accounted for; message keys for overlapping exports."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kebekerjaan.core.errors import InputFileError
from kebekerjaan.steps.answers.whatsapp import message_key, message_keys, new_messages, parse_chat

INVISIBLE = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"


@pytest.fixture
def wa(fixtures_dir):
    """tests/fixtures/wa/: WhatsApp chat exports (the README there says what each one holds)."""
    return fixtures_dir / "wa"


def rows(chat):
    m = chat.messages
    return list(zip(m["sent_at"], m["sender"], m["sender_phone"], m["text"]))


def test_android_indonesian_24h(wa):
    chat = parse_chat(wa / "android_id_24h.txt")
    assert chat.date_order == "hari-bulan" and "'13/01/24' (baris 8)" in chat.reason
    assert chat.line_kinds == {"pesan": 7, "lanjutan": 5, "sistem": 10, "tanpa_induk": 0}
    assert chat.system_lines == 10 and chat.lines == 22
    got = rows(chat)
    assert got[0] == (datetime(2024, 1, 12, 8, 5), "Admin BPVP", None,
                      "Selamat pagi rekan alumni. Mohon kabarnya:\n"
                      "sudah bekerja, wirausaha, atau masih mencari?\nTerima kasih 🙏")
    assert got[1] == (datetime(2024, 1, 13, 9, 15), "+62 812-3456-7801", "+6281234567801",
                      "Alhamdulillah sudah kerja di PT Maju Jaya bagian admin")
    assert got[2][2] == "+6281311112222"
    m = chat.messages
    assert m.loc[3, "is_media"] and m["is_media"].sum() == 1
    assert m.loc[4, "text"] == "buka usaha jahitan di rumah"  # the edit marker is dropped
    assert m.loc[5, "is_poll"] and m.loc[5, "text"].endswith("OPSI: Mencari (1 suara)")
    assert m.loc[6, "is_deleted"]
    assert list(m["line_start"]) == [5, 8, 9, 10, 11, 12, 16]


def test_android_english_12h_with_narrow_space_and_crlf(wa):
    chat = parse_chat(wa / "android_en_12h.txt")
    assert b"\r\n" in (wa / "android_en_12h.txt").read_bytes()
    assert chat.date_order == "bulan-hari" and "'12/30/23' (baris 1)" in chat.reason
    got = rows(chat)
    assert got[0] == (datetime(2023, 12, 31, 21, 15), "Budi Santoso", None,
                      "Alhamdulillah diterima di PT Astra Motor Kendari")
    assert got[1] == (datetime(2023, 12, 31, 21, 16), "+62 821-4444-5555", "+6282144445555",
                      "masih mencari kerja pak\nsudah melamar ke 3 bengkel")
    assert got[2][0] == datetime(2023, 12, 31, 0, 5)  # 12:05 AM
    assert got[3][0] == datetime(2024, 1, 1, 12, 30)  # 12:30 PM
    assert chat.messages["is_deleted"].tolist() == [False, False, False, True, False]
    assert chat.messages["is_poll"].tolist() == [False, False, False, False, True]
    assert chat.line_kinds == {"pesan": 5, "lanjutan": 4, "sistem": 7, "tanpa_induk": 0}
    assert not any("\r" in t for t in chat.messages["text"])


def test_ios_indonesian_brackets_and_direction_marks(wa):
    chat = parse_chat(wa / "ios_id_brackets.txt")
    assert chat.date_order == "hari-bulan"
    assert chat.line_kinds == {"pesan": 5, "lanjutan": 1, "sistem": 4, "tanpa_induk": 0}
    got = rows(chat)
    assert got[0] == (datetime(2024, 2, 25, 19, 30, 12), "Andi", None,
                      "Skrg sy kerja di CV. Sinar Las, Kendari\nAlhamdulillah 🙏")
    assert got[1] == (datetime(2024, 2, 25, 19, 31, 40), "+62 811-2222-3333", "+6281122223333",
                      "lanjut kuliah di UHO pak")
    assert chat.messages["is_media"].tolist() == [False, False, True, True, False]
    for value in [*chat.messages["text"], *chat.messages["sender"]]:
        assert not any(c in value for c in INVISIBLE)


def test_ios_english_ampm_all_ambiguous_decided_by_language(wa):
    chat = parse_chat(wa / "ios_en_ampm.txt")
    assert chat.date_order == "bulan-hari"
    assert "Inggris" in chat.reason and "AM/PM" in chat.reason
    assert chat.messages["sent_at"].tolist()[0] == datetime(2024, 1, 5, 9, 15, 32)
    assert chat.messages["sent_at"].tolist()[-1] == datetime(2024, 1, 5, 12, 1)
    assert chat.messages["is_media"].tolist() == [False, False, True, False]
    assert chat.messages["is_deleted"].tolist() == [False, False, False, True]
    assert chat.system_lines == 3


def test_four_digit_year_and_am_pm_with_dots(wa):
    chat = parse_chat(wa / "android_en_ampm_dots.txt")
    assert chat.date_order == "hari-bulan"
    assert chat.messages["sent_at"].tolist() == [
        datetime(2024, 1, 31, 9, 6), datetime(2024, 1, 31, 12, 0), datetime(2024, 2, 1, 13, 15)]


def test_month_first_decided_by_chronology(wa):
    chat = parse_chat(wa / "month_first.txt")
    assert chat.date_order == "bulan-hari" and "mundur 1 kali" in chat.reason
    assert chat.messages["sent_at"].tolist()[1] == datetime(2024, 1, 5, 8, 0)


def test_indonesian_colon_time_all_ambiguous_decided_by_language(wa):
    chat = parse_chat(wa / "android_id_4digit_colon.txt")
    assert chat.date_order == "hari-bulan" and "bahasa Indonesia" in chat.reason
    assert chat.messages["sent_at"].tolist()[0] == datetime(2024, 3, 5, 10, 1)


def test_default_order_when_nothing_decides():
    text = "05/03/24 10:00 - Ani: ok\n05/03/24 10:01 - Beni: ok\n"
    assert parse_chat(text).date_order == "hari-bulan"
    chat = parse_chat(text, default_order="bulan-hari")
    assert chat.date_order == "bulan-hari" and "pengaturan" in chat.reason
    assert chat.messages["sent_at"][0] == datetime(2024, 5, 3, 10, 0)


@pytest.mark.parametrize("zip_name,txt_name", [
    ("ios_export.zip", "ios_id_brackets.txt"),
    ("WhatsApp Chat with Alumni TIK 2023.zip", "android_id_24h.txt"),
])
def test_zip_export_reads_like_its_text(zip_name, txt_name, wa):
    from_zip, from_txt = parse_chat(wa / zip_name), parse_chat(wa / txt_name)
    assert from_zip.messages.equals(from_txt.messages)
    assert from_zip.source == zip_name


def test_zip_without_chat_is_a_clear_error(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("photo.jpg", b"x")
    with pytest.raises(InputFileError, match="tidak ada berkas obrolan"):
        parse_chat(path)


def test_lines_before_the_first_message_are_counted_not_lost():
    chat = parse_chat("potongan pesan lama\n12/01/24 08.00 - Ani: halo\n")
    assert chat.line_kinds == {"pesan": 1, "lanjutan": 0, "sistem": 0, "tanpa_induk": 1}


def _expected_lines(text: str) -> int:
    parts = text.replace("\r\n", "\n").split("\n")
    return len(parts) - (1 if parts[-1] == "" else 0)


LINE_PIECES = st.sampled_from([
    "12/01/24 08.00 - Ani: halo", "[12/01/24 08.00.00] Ani: halo", "1/12/24, 9:15\u202fPM - Budi: ok",
    "12/01/24 08.00 - Ani keluar", "\u200e[13/01/24 10.00.00] Grup: \u200eAni keluar", "lanjutan",
    "", "\r", "31/02/24 08.00 - Ani: tanggal mustahil", "99/99/99 99.99 - x: y", "OPSI: A (1 suara)",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINE_PIECES, st.text(max_size=30)), max_size=30),
       st.sampled_from(["\n", "\r\n"]))
def test_never_crashes_and_every_line_is_accounted_for(pieces, newline):
    text = newline.join(pieces)
    chat = parse_chat(text)
    assert sum(chat.line_kinds.values()) == chat.lines == _expected_lines(text)
    assert chat.line_kinds["pesan"] == len(chat.messages)


NAMES = st.sampled_from(["Ani", "Budi Santoso", "Wa Ode Sitti", "+62 812-3456-7890", "Nur'aini"])
BODIES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
                          NAMES, BODIES), min_size=1, max_size=15),
       st.sampled_from(["android_id", "ios_id", "android_en"]))
def test_generated_messages_read_back(messages, style):
    messages = sorted((t.replace(second=0, microsecond=0), n, b.strip() or "x") for t, n, b in messages)
    # Bodies that themselves start like a header, or read as system lines, are not plain messages.
    lines = []
    for t, name, body in messages:
        if style == "android_id":
            lines.append(f"{t:%d/%m/%y %H.%M} - {name}: {body}")
        elif style == "ios_id":
            lines.append(f"[{t:%d/%m/%Y %H.%M.%S}] {name}: {body}")
        else:
            lines.append(f"{t.month}/{t.day}/{t:%y}, {t.hour % 12 or 12}:{t:%M}\u202f"
                         f"{'AM' if t.hour < 12 else 'PM'} - {name}: {body}")
    default = "bulan-hari" if style == "android_en" else "hari-bulan"
    chat = parse_chat("\n".join(lines) + "\n", default_order=default)
    if chat.line_kinds["pesan"] != len(messages) or chat.bad_dates:
        return  # a random body made a line that is legitimately something else
    assert chat.messages["sender"].tolist() == [n for _, n, _ in messages]
    assert chat.messages["sent_at"].tolist() == [t for t, _, _ in messages]


def test_message_key_is_stable_and_overlap_yields_only_new(wa):
    first = parse_chat(wa / "android_id_24h.txt").messages
    again = parse_chat(wa / "android_id_24h.txt").messages
    assert message_keys(first).tolist() == message_keys(again).tolist()
    assert message_key(first.iloc[1]) == message_keys(first)[1]
    assert message_key(first.iloc[1].to_dict()) == message_keys(first)[1]
    assert message_keys(first).is_unique
    later = (wa / "android_id_24h.txt").read_text(encoding="utf-8") + (
        "15/01/24 08.00 - Rudi: sekarang kerja di Bengkel Jaya\n"
        "15/01/24 08.01 - Wa Ode Sitti: mantap\n")
    second = parse_chat(later).messages
    fresh = new_messages(second, message_keys(first))
    assert fresh["text"].tolist() == ["sekarang kerja di Bengkel Jaya", "mantap"]
    assert new_messages(second, list(message_keys(first)) + list(fresh["key"])).empty
