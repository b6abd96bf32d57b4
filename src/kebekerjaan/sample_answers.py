"""Synthetic survey answers for the sample workspace (SOP steps 6-7).

From the same synthetic alumni as `sample.write_sample`: a Google Forms "download
responses" CSV and a WhatsApp export of an alumni group (Android, Indonesian, 24 h),
with the mess real ones have: answers without NIK, misspelt names, a form row with no
identity, one with an unreadable timestamp, one with an unknown status; chit-chat,
system lines, media, and ambiguous or contradicting WhatsApp replies.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from kebekerjaan.normalize import to_e164
from kebekerjaan.questionnaire import load_questionnaire

# Fictional employers and businesses by kejuruan (no real company is meant).
_EMPLOYERS = {
    "Teknologi Informasi dan Komunikasi": ["CV Anoa Digital", "PT Sultra Data Nusantara"],
    "Otomotif": ["PT Haluoleo Auto Service", "Bengkel Jaya Motor Wua-Wua"],
    "Las": ["PT Sultra Mandiri Teknik", "CV Las Baja Konawe"],
    "Listrik": ["PT Listrik Andalan Kendari", "CV Terang Jaya"],
    "Elektronika": ["Konter Sinar Wua-Wua", "Servis HP Mandonga"],
    "Refrigerasi": ["PT Dingin Sejuk Teknik", "CV Kutub Teknik"],
    "Bangunan": ["CV Bangun Haluoleo Konstruksi", "PT Karya Beton Sultra"],
    "Garmen Apparel": ["Konveksi Anggrek Kendari", "Butik Tenun Buton"],
    "Pariwisata": ["Hotel Teluk Kendari", "Kafe Kopi Kambu"],
    "Bisnis dan Manajemen": ["Koperasi Maju Bersama", "PT Niaga Sultra"],
    "Processing": ["PT Segar Sultra Food", "UD Abon Ikan Kendari"],
    "Kecantikan": ["Salon Cantik Mandonga", "Rumah Rias Wa Ode"],
}
_OWN = {"Otomotif": "bengkel motor", "Garmen Apparel": "usaha jahit", "Pariwisata": "usaha kue",
        "Kecantikan": "salon di rumah", "Processing": "usaha abon ikan", "Elektronika": "servis HP"}
_STATUS_P = {"bekerja": 0.45, "wirausaha": 0.15, "mencari": 0.30, "belum_memungkinkan": 0.05,
             "studi": 0.05}


def _good_alumni(frame: pd.DataFrame, kinds: np.ndarray, trainings: pd.DataFrame,
                 training: np.ndarray) -> pd.DataFrame:
    ok = (kinds == "") & frame["nik"].notna()
    people = frame.loc[ok, ["nik", "name", "phone", "kejuruan"]].copy()
    people["end"] = [trainings["end"][t] for t in training[ok.to_numpy()]]
    people["kejuruan_canon"] = [trainings["kejuruan"][t] for t in training[ok.to_numpy()]]
    people["angkatan"] = [str(trainings["angkatan"][t]) for t in training[ok.to_numpy()]]
    people["phone"] = people["phone"].map(lambda p: to_e164(p))
    people["nik"] = people["nik"].astype(str).str.replace(r"\D", "", regex=True)
    return people[people["nik"].str.len() == 16].drop_duplicates("nik").reset_index(drop=True)


def _answer_day(end: date, as_of: date, rng) -> tuple[date | None, int | None]:
    """A plausible answer date: a few days after the latest wave already due."""
    for months in (6, 3, 1):
        due = (pd.Timestamp(end) + pd.DateOffset(months=months)).date()
        if due + timedelta(days=14) <= as_of:
            return due + timedelta(days=int(rng.integers(0, 14))), months
    return None, None


def write_answer_sample(root: Path, sample, as_of: date, seed: int) -> list[Path]:
    """Write the form export and the WhatsApp export; returns their paths."""
    rng = np.random.default_rng([seed, 7])
    q = load_questionnaire()
    people = _good_alumni(sample.frame, sample.kinds, sample.trainings, sample.training)
    chosen = people.sample(frac=0.4, random_state=int(rng.integers(0, 2**31))).reset_index(drop=True)
    rows, chats = [], []
    for p in chosen.itertuples():
        day, _wave = _answer_day(p.end, as_of, rng)
        if day is None:
            continue
        status = rng.choice(list(_STATUS_P), p=list(_STATUS_P.values()))
        when = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=int(rng.integers(7, 22)), minutes=int(rng.integers(0, 60)))
        if rng.random() < 0.7:
            rows.append(_form_row(p, status, when, rng, q))
        else:
            chats.append((when, p, status))
    respons = Path(root) / "data" / "masuk" / "respons"
    wa = Path(root) / "data" / "masuk" / "wa"
    respons.mkdir(parents=True, exist_ok=True)
    wa.mkdir(parents=True, exist_ok=True)
    form_path = respons / f"Survei Kebekerjaan Alumni (Jawaban) {as_of:%Y%m%d}.csv"
    _write_form(form_path, rows, q, as_of)
    chat_path = wa / "Chat WhatsApp dengan Alumni BPVP Kendari.txt"
    _write_chat(chat_path, chats, as_of, rng)
    return [form_path, chat_path]


def _form_row(p, status: str, when: datetime, rng, q) -> dict:
    roll = rng.random()
    row = {
        "when": when,
        "nik": p.nik if roll < 0.55 else "",
        "name": p.name if roll < 0.85 else _typo(p.name, rng),
        "phone": _format_phone(p.phone, rng) if p.phone and roll >= 0.3 else "",
        "kejuruan": p.kejuruan if isinstance(p.kejuruan, str) else "",
        "angkatan": p.angkatan,
        "status": q["status"].option_text(status),
        "consent": q["consent"].option_text("ya"),
    }
    if status in ("bekerja", "wirausaha"):
        own = status == "wirausaha"
        employers = _EMPLOYERS.get(p.kejuruan_canon, ["PT Sultra Sejahtera"])
        row.update({
            "employer": (f"{_OWN.get(p.kejuruan_canon, 'usaha sendiri').title()} {p.name.split()[0]}"
                         if own else employers[int(rng.integers(0, len(employers)))]),
            "position": "" if own else "Staf " + p.kejuruan_canon.split()[0],
            "employer_type": q["employer_type"].option_text("wiraswasta" if own else "swasta"),
            "sector": q["sector"].option_text(
                ["perdagangan", "jasa", "industri", "akomodasi", "informasi"][int(rng.integers(0, 5))]),
            "location": ["Kota Kendari", "Kab. Konawe", "Kota Bau Bau", "Kab. Kolaka"][
                int(rng.integers(0, 4))],
            "start_date": (when.date() - timedelta(days=int(rng.integers(5, 60)))).isoformat(),
            "income": q["income"].option_text(["1-2.5", "2.5-4", "lt1", "4-6"][int(rng.integers(0, 4))]),
            "relevance": q["relevance"].option_text(
                ["sangat_erat", "erat", "cukup_erat", "kurang_erat"][int(rng.integers(0, 4))]),
            "job_source": "" if own else ";".join(
                q["job_source"].option_text(c) for c in
                (["info_bpvp"], ["teman_keluarga"], ["info_bpvp", "media_sosial"])[int(rng.integers(0, 3))]),
        })
    return row


def _typo(name: str, rng) -> str:
    """A misspelling as people type their own name in a hurry (drop or swap a letter)."""
    letters = list(name.lower())
    i = int(rng.integers(1, max(2, len(letters) - 1)))
    if letters[i].isalpha():
        del letters[i]
    return "".join(letters)


def _format_phone(e164: str, rng) -> str:
    national = "0" + e164[3:]
    style = int(rng.integers(0, 3))
    if style == 0:
        return f"{national[:4]}-{national[4:8]}-{national[8:]}"
    if style == 1:
        return f"+62 {e164[3:6]} {e164[6:10]} {e164[10:]}"
    return national


def _stamp(when: datetime) -> str:
    """Google Forms' own CSV download: '2026/10/24 6:46:43 PM GMT+8'."""
    hour = when.hour % 12 or 12
    return f"{when:%Y/%m/%d} {hour}:{when:%M:%S} {'PM' if when.hour >= 12 else 'AM'} GMT+8"


# Staff word some questions their own way on the form; step 7 reads them by meaning.
_STAFF_WORDING = {"status": "Status pekerjaan saat ini", "employer": "Nama perusahaan / usaha",
                  "position": "Jabatan / posisi (wajib)"}


def _write_form(path: Path, rows: list[dict], q, as_of: date) -> None:
    fields = ["nik", "name", "phone", "kejuruan", "angkatan", "status", "employer", "position",
              "employer_type", "sector", "location", "start_date", "income", "relevance",
              "job_source", "consent"]
    header = ["Timestamp", "Email Address"] + [_STAFF_WORDING.get(f, q[f].text) for f in fields]
    rows = sorted(rows, key=lambda r: r["when"])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for r in rows:
            writer.writerow([_stamp(r["when"]), ""] + [r.get(f, "") for f in fields])
        # The rows every real export seems to have: no identity, a broken timestamp and an
        # answer typed into "other" that is no status.
        late = datetime.combine(as_of, datetime.min.time()) - timedelta(days=1)
        writer.writerow([_stamp(late), "", "", "", "", "", "", q["status"].option_text("mencari")]
                        + [""] * 9 + [q["consent"].option_text("ya")])
        writer.writerow(["kemarin sore", "", "", "Rahmawati", "0812-0999-0001", "", "",
                         q["status"].option_text("bekerja")] + [""] * 9 + [""])
        writer.writerow([_stamp(late), "", "", "Sumarni", "0852-0999-0002", "", "",
                         "Ikut suami merantau"] + [""] * 9 + [q["consent"].option_text("ya")])


_CHITCHAT = ["Selamat pagi rekan-rekan alumni", "Terima kasih infonya kak 🙏", "Aamiin",
             "Mantap, sukses selalu", "Siap kak", "Info lowongan las ada lagi kah?"]


def _write_chat(path: Path, chats: list, as_of: date, rng) -> None:
    start = min([w for w, _, _ in chats], default=datetime.combine(as_of, datetime.min.time()))
    lines = [
        f"{start - timedelta(days=30):%d/%m/%y} 08.00 - Pesan dan panggilan terenkripsi secara "
        "end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca "
        "atau mendengarkannya.",
        f"{start - timedelta(days=30):%d/%m/%y} 08.00 - Admin BPVP Kendari membuat grup "
        "\"Alumni BPVP Kendari\"",
    ]
    events = []
    for when, p, status in chats:
        sender = p.name if rng.random() < 0.4 or not p.phone else (
            f"+62 {p.phone[3:6]}-{p.phone[6:10]}-{p.phone[10:]}")
        events.append((when, sender, _reply(status, p, rng)))
        if rng.random() < 0.15:
            events.append((when + timedelta(minutes=3), sender, "<Media tidak disertakan>"))
    midnight = datetime.combine(start.date(), datetime.min.time())
    for k in range(max(4, len(chats) // 3)):
        when = midnight + timedelta(days=int(rng.integers(0, 60)), hours=int(rng.integers(7, 21)),
                                    minutes=int(rng.integers(0, 60)))
        # Greetings and thanks, from staff and alumni alike: no status in them.
        sender = "Admin BPVP Kendari" if k % 2 == 0 or not chats else chats[k % len(chats)][1].name
        events.append((when, sender, _CHITCHAT[k % len(_CHITCHAT)]))
    if chats:
        # One alumnus says two different things: staff must decide which holds.
        when, p, _ = chats[0]
        sender = p.name
        events.append((when + timedelta(hours=2), sender, "eh maaf, sebenarnya masih cari kerja kak"))
        # And a reply that could be anything.
        when, p, _ = chats[-1]
        events.append((when + timedelta(hours=1), p.name, "lagi coba2 aja dulu kak, doakan"))
        events.append((when + timedelta(minutes=5), "Admin BPVP Kendari",
                       "Mohon kabarnya rekan alumni:\nsudah bekerja, wirausaha, atau masih mencari?\n"
                       "Terima kasih 🙏"))
    for when, sender, text in sorted(events, key=lambda e: e[0]):
        lines.append(f"{when:%d/%m/%y %H.%M} - {sender}: {text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _reply(status: str, p, rng) -> str:
    employers = _EMPLOYERS.get(p.kejuruan_canon, ["PT Sultra Sejahtera"])
    employer = employers[int(rng.integers(0, len(employers)))]
    options = {
        "bekerja": [f"Alhamdulillah sudah kerja di {employer} kak",
                    f"Alhamdulillah diterima di {employer} bagian produksi"],
        "wirausaha": [f"sekarang buka {_OWN.get(p.kejuruan_canon, 'usaha sendiri')} di rumah kak",
                      "jualan online kak, alhamdulillah lancar"],
        "mencari": ["masih mencari kak", "belum kerja kak, masih cari2"],
        "belum_memungkinkan": ["belum bisa kerja dulu kak, urus anak"],
        "studi": ["lanjut kuliah kak di UHO"],
    }[status]
    return options[int(rng.integers(0, len(options)))]


def simulate_staff_entries(ws, as_of: date, n: int = 2) -> list[str]:
    """Record n answers as staff would at step 6 (received by phone), for the demo.

    Picks graduates with a survey wave already due and no answer yet; returns their names.
    """
    from kebekerjaan import store
    from kebekerjaan.steps.record_status import record_answer

    con = store.connect(ws.store_path)
    try:
        rows = con.execute(
            "SELECT a.nik, a.name, e.kejuruan, e.end_date FROM enrolments e "
            "JOIN alumni a ON a.nik = e.nik LEFT JOIN answers x ON x.nik = a.nik "
            "WHERE x.id IS NULL AND COALESCE(e.graduation, '') != 'Tidak Lulus' "
            "AND e.end_date <= ? ORDER BY e.end_date DESC, a.nik LIMIT ?",
            ((as_of - timedelta(days=100)).isoformat(), n),
        ).fetchall()
    finally:
        con.close()
    names = []
    for nik, name, kejuruan, end in rows:
        employers = _EMPLOYERS.get(kejuruan, ["PT Sultra Sejahtera"])
        record_answer(ws, nik=nik, answered_on=as_of - timedelta(days=2),
                      entered_by="Petugas (contoh)", today=as_of, answer={
                          "status": "bekerja", "employer": employers[0], "position": "Staf",
                          "employer_type": "swasta", "sector": "perdagangan",
                          "location": "Kota Kendari",
                          "start_date": (date.fromisoformat(end) + timedelta(days=20)).isoformat(),
                          "income": "1-2.5", "relevance": "erat", "job_source": ["info_bpvp"],
                          "consent": "ya"})
        names.append(name)
    return names
