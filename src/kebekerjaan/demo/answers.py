"""Synthetic survey answers for the sample workspace (SOP steps 6-7).

From the same synthetic alumni as `sample.write_sample`: a Google Forms "download
responses" CSV and a WhatsApp export of an alumni group (Android, Indonesian, 24 h),
with the mess real ones have: answers without NIK, misspelt names, a form row with no
identity, one with an unreadable timestamp, one with an unknown status; chit-chat,
system lines, media, and ambiguous or contradicting WhatsApp replies.
"""

from __future__ import annotations

import csv
import re
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from kebekerjaan.core.config import CONFIG_NAME, load_settings
from kebekerjaan.io.normalize import to_e164
from kebekerjaan.rules.graduates import ENROLMENT_JOIN, GRADUATE_SQL
from kebekerjaan.rules.labels import INVITATION
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.rules.statuses import EMPLOYED
from kebekerjaan.rules.waves import add_months

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


def _answer_day(end: date, as_of: date, rng, waves: tuple[int, ...]) -> tuple[date | None, int | None]:
    """A plausible answer date: a few days after the latest wave (of `waves`) already due."""
    for months in sorted(waves, reverse=True):
        due = add_months(end, months)
        if due + timedelta(days=14) <= as_of:
            return due + timedelta(days=int(rng.integers(0, 14))), months
    return None, None


def write_answer_sample(root: Path, sample, as_of: date, seed: int) -> list[Path]:
    """Write the form export and the WhatsApp export; returns their paths. Answers fall
    after the survey waves of the workspace's settings (survey.waves_months)."""
    rng = np.random.default_rng([seed, 7])
    waves = tuple(load_settings(Path(root) / CONFIG_NAME).survey.waves_months)
    q = load_questionnaire()
    people = _good_alumni(sample.frame, sample.kinds, sample.trainings, sample.training)
    chosen = people.sample(frac=0.4, random_state=int(rng.integers(0, 2**31))).reset_index(drop=True)
    rows, chats = [], []
    for p in chosen.itertuples():
        day, _wave = _answer_day(p.end, as_of, rng, waves)
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
    if status in EMPLOYED:
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


_FORM_FIELDS = ("nik", "name", "phone", "kejuruan", "angkatan", "status", "employer", "position",
                "employer_type", "sector", "location", "start_date", "income", "relevance",
                "job_source", "consent")
# Staff word some questions their own way on the form; step 7 reads them by meaning.
_STAFF_WORDING = {"status": "Status pekerjaan saat ini", "employer": "Nama perusahaan / usaha",
                  "position": "Jabatan / posisi (wajib)"}


def _form_header(field: str, q) -> str:
    return _STAFF_WORDING.get(field, q[field].text)


def _write_form(path: Path, rows: list[dict], q, as_of: date) -> None:
    fields = _FORM_FIELDS
    header = ["Timestamp", "Email Address"] + [_form_header(f, q) for f in fields]
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
    from kebekerjaan.core import store
    from kebekerjaan.steps.answers.manual import record_answer

    con = store.connect(ws.store_path)
    try:
        rows = con.execute(
            f"SELECT a.nik, a.name, e.kejuruan, e.end_date FROM {ENROLMENT_JOIN} "
            "LEFT JOIN answers x ON x.nik = a.nik "
            f"WHERE x.id IS NULL AND {GRADUATE_SQL} "
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


# --- personal links, delivery report, refusals (issue 8) -------------------------------------

# A pre-filled link as the form script logs it; "contoh" marks it as not a real form.
SAMPLE_PREFILL_LINK = ("https://docs.google.com/forms/d/e/1FAIpQLSc-contoh-survei-kebekerjaan/"
                       "viewform?usp=pp_url&entry.1000001=KODE")
SAMPLE_CODE_ENTRY = "entry.1000001"


def use_sample_links(config_path: Path) -> bool:
    """Set the sample pre-filled link in a sample workspace's kebekerjaan.toml when its
    `prefill_link` is still empty; returns whether it changed the file."""
    path = Path(config_path)
    if not path.exists():
        return False
    lines = path.read_text(encoding="utf-8").splitlines()
    wanted = {"prefill_link": SAMPLE_PREFILL_LINK, "code_entry": SAMPLE_CODE_ENTRY}
    empty = {k: i for i, line in enumerate(lines) for k in wanted
             if line.replace(" ", "") == f'{k}=""'}
    if set(empty) != set(wanted):
        return False
    for key, i in empty.items():
        lines[i] = f'{key} = "{wanted[key]}"'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def simulate_link_answers(ws, invited_on: date, as_of: date, seed: int = 2026) -> dict[str, int]:
    """What follows the invitations of `invited_on`, for the demo.

    - the blast app's delivery report of those invitations (data/masuk/blast/): mostly
      delivered or read, some failed or not on WhatsApp, one row without a number;
    - answers through the personal links, added to the sample form export: a code in
      every one (some with NIK, some with the name only), one code mistyped by hand, one
      alumnus answering "tidak bersedia" to the consent question;
    - one refusal staff recorded by phone (step 6).
    Returns counts of each, for the demo's narration.
    """
    from kebekerjaan.core import store
    from kebekerjaan.rules import codes
    from kebekerjaan.rules.waves import SurveyRules
    from kebekerjaan.steps.answers.manual import record_refusal
    from kebekerjaan.steps.outreach.rules import wave_frame

    rng = np.random.default_rng([seed, 11])
    q = load_questionnaire()
    con = store.connect(ws.store_path)
    try:
        invited = pd.read_sql_query(
            "SELECT o.nik, o.enrolment_id, o.wave, a.name, a.phone, c.code, e.kejuruan, e.end_date "
            "FROM outreach_log o "
            "JOIN alumni a ON a.nik = o.nik JOIN enrolments e ON e.id = o.enrolment_id "
            "JOIN respondent_codes c ON c.enrolment_id = o.enrolment_id "
            "WHERE o.kind = ? AND o.sent_on = ? ORDER BY o.enrolment_id",
            con, params=(INVITATION, invited_on.isoformat()))
    finally:
        con.close()
    if len(invited) < 8:
        return {}
    # Those whose wave is due by `as_of` and still open first: reminders are about them and
    # the recap counts them, so the demo shows failed numbers and refusals at work there.
    rules = SurveyRules.from_settings(ws.settings())
    windows = wave_frame(invited.assign(end_date=pd.to_datetime(invited["end_date"])), rules)
    windows = windows.merge(invited[["enrolment_id", "wave"]], on=["enrolment_id", "wave"])
    invited = invited.merge(windows[["enrolment_id", "due", "closes"]], on="enrolment_id")
    invited["closes"] = invited["closes"].dt.date
    invited["first"] = ((invited["due"] <= pd.Timestamp(as_of))
                        & (invited["closes"] >= as_of)).astype(int)
    invited = invited.sort_values(["first", "enrolment_id"], ascending=[False, True])
    invited = invited.reset_index(drop=True)
    n = len(invited)
    roll = rng.random(n)
    status = np.where(roll < 0.45, "Read", np.where(roll < 0.80, "Delivered",
                      np.where(roll < 0.88, "Sent", np.where(roll < 0.94, "Failed",
                                                             "Not on WhatsApp"))))
    status[0], status[1] = "Failed", "Not on WhatsApp"  # at least one of each, always
    sent_at = [datetime.combine(invited_on, datetime.min.time()) + timedelta(
        hours=9, minutes=int(i // 4), seconds=int(rng.integers(0, 60))) for i in range(n)]
    report = pd.DataFrame({
        "Number": [p[1:] if isinstance(p, str) else "" for p in invited["phone"]],
        "Name": invited["name"], "Status": status,
        "Time": [f"{t:%d/%m/%Y %H:%M:%S}" for t in sent_at],
        "Error": ["Message failed to send" if s == "Failed" else "" for s in status],
    })
    report.loc[len(report)] = ["", "Kontak tanpa nomor", "Failed", f"{sent_at[-1]:%d/%m/%Y %H:%M:%S}",
                               "Invalid number"]
    blast = Path(ws.inbox("blast"))
    blast.mkdir(parents=True, exist_ok=True)
    report.to_excel(blast / f"laporan_blast_{invited_on:%Y%m%d}.xlsx", index=False,
                    sheet_name="Report")

    reached = invited[~np.isin(status, ["Failed", "Not on WhatsApp"])].reset_index(drop=True)
    # Two of them who answered nothing yet: one refuses by phone, one answers "tidak bersedia".
    quiet = ~_in_sample_answers(ws, reached)
    first_two = reached[quiet].index[:2]
    refusing, declining = reached.loc[first_two[:1]], reached.loc[first_two[1:2]]
    reached = reached.drop(first_two)
    answering = pd.concat([declining, reached.sample(frac=0.4,
                                                     random_state=int(rng.integers(0, 2**31)))])
    rows = []
    for k, p in enumerate(answering.itertuples()):
        last = min(p.closes or as_of, as_of - timedelta(days=1))
        span = max((last - invited_on).days, 1)
        when = datetime.combine(invited_on + timedelta(days=int(rng.integers(1, span + 1))),
                                datetime.min.time()) + timedelta(hours=int(rng.integers(7, 22)),
                                                                 minutes=int(rng.integers(0, 60)))
        choice = rng.choice(list(_STATUS_P), p=list(_STATUS_P.values()))
        person = SimpleNamespace(nik=p.nik, name=p.name, phone=p.phone, kejuruan=p.kejuruan,
                                 kejuruan_canon=p.kejuruan, angkatan="")
        row = _form_row(person, choice, when, rng, q)
        row["nik"] = p.nik if k % 3 == 0 else ""   # the code is enough; some type the NIK too
        row["phone"] = ""
        row["kode"] = codes.display(p.code)
        rows.append(row)
    if len(rows) >= 3:
        rows[0]["consent"] = q["consent"].option_text("tidak")
        good = codes.normalize(rows[2]["kode"])
        typo = good[:3] + ("A" if good[3] != "A" else "B") + good[4:]  # one letter misheard
        rows[2]["kode"] = codes.display(typo)
    _add_to_form(Path(ws.inbox("respons")), rows, q)

    refused = 0
    if len(refusing):
        record_refusal(ws, nik=refusing["nik"].iloc[0], refused_on=as_of - timedelta(days=3),
                       entered_by="Petugas (contoh)", today=as_of,
                       reason="tidak bersedia disurvei (disampaikan lewat telepon)")
        refused = 1
    return {"delivery_rows": len(report), "failed": int(np.isin(status, ["Failed"]).sum()),
            "not_on_whatsapp": int((status == "Not on WhatsApp").sum()),
            "link_answers": len(rows), "consent_no": int(len(rows) >= 2),
            "mistyped_code": int(len(rows) >= 3), "refusals": refused}


def _in_sample_answers(ws, people: pd.DataFrame) -> pd.Series:
    """Whether each person (nik, name, phone) appears in the sample's form or chat export."""
    import re

    text = "\n".join(p.read_text(encoding="utf-8") for kind in ("respons", "wa")
                     for p in Path(ws.inbox(kind)).glob("*.*") if p.suffix in (".csv", ".txt"))
    digits, lowered = re.sub(r"\D", "", text), text.casefold()
    return pd.Series([
        nik in digits or (isinstance(phone, str) and phone[3:] in digits)
        or name.casefold() in lowered
        for nik, name, phone in zip(people["nik"], people["name"], people["phone"])
    ], index=people.index)


def _add_to_form(folder: Path, rows: list[dict], q) -> None:
    """Append the link answers to the sample form export, which now has the code column
    (the form built by `kebekerjaan formulir` asks for it; older answers leave it empty)."""
    path = sorted(folder.glob("Survei Kebekerjaan Alumni (Jawaban) *.csv"))[-1]
    with open(path, encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    column = {text: i for i, text in enumerate(header)}
    # The code question comes first in the form, after Google's own two columns.
    out = [header[:2] + [q["kode"].text] + header[2:]] + [r[:2] + [""] + r[2:] for r in body]
    for r in sorted(rows, key=lambda r: r["when"]):
        cells = [""] * len(header)
        cells[0] = _stamp(r["when"])
        for f in _FORM_FIELDS:
            cells[column[_form_header(f, q)]] = r.get(f, "")
        out.append(cells[:2] + [r["kode"]] + cells[2:])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(out)


# --- what had come in by a given day (the demo's nine days) ----------------------------------

_NAME_DAY = re.compile(r"(20\d{2})(\d{2})(\d{2})")
_CHAT_DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{2}) ")
_FORM_DAY = re.compile(r"^\d{4}/\d{2}/\d{2} ")
_FORM_EXPORT = "Survei Kebekerjaan Alumni (Jawaban) {:%Y%m%d}.csv"


@dataclass
class LaterFiles:
    """Sample files that had not come in yet on the day the inbox was cut back to: kept aside
    (`held`: where each waits, and where it goes) until `arrive` puts them in the inbox."""

    held: list[tuple[Path, Path]]
    folder: Path

    def arrive(self) -> list[Path]:
        """Put the held files in the inbox (a later export replaces the earlier one of the
        same name, as staff do); returns where they went."""
        for waiting, target in self.held:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(waiting), str(target))
        shutil.rmtree(self.folder, ignore_errors=True)
        return [target for _, target in self.held]


def inbox_as_on(ws, day: date) -> LaterFiles:
    """Cut the sample inbox back to what had come in by the morning of `day`, for the demo.

    A file whose name is dated after `day` (a vacancy list, the form export) had not come
    yet; the form export and the WhatsApp chat export are cut to what was sent before
    `day` (the export staff downloaded that morning: a Google Forms download and a chat
    export hold everything up to then). The full files wait aside until `arrive`.
    """
    inbox = Path(ws.data) / "masuk"
    folder = Path(ws.data) / "demo_belum_masuk"
    folder.mkdir(parents=True, exist_ok=True)
    held = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        dated = _NAME_DAY.search(path.name)
        later = dated is not None and date(*map(int, dated.groups())) > day
        is_chat = path.parent.name == "wa" and path.suffix == ".txt"
        if not later and not is_chat:
            continue
        waiting = folder / path.relative_to(inbox)
        waiting.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(path), str(waiting))
        held.append((waiting, path))
        if path.parent.name == "respons":
            _cut_form(waiting, path.parent / _FORM_EXPORT.format(day), day)
        elif is_chat:
            _cut_chat(waiting, path, day)
    return LaterFiles(held, folder)


def _cut_form(full: Path, early: Path, day: date) -> None:
    """The form export as downloaded on `day`: the rows answered before it."""
    with open(full, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    before = day.strftime("%Y/%m/%d")
    # Google's own stamp starts with the date (_stamp); a row without one came in later.
    sent = [r for r in rows if _FORM_DAY.match(r[0]) and r[0][:10] < before]
    with open(early, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *sent])


def _cut_chat(full: Path, early: Path, day: date) -> None:
    """The chat export as exported on `day`: the messages sent before it (a line without a
    date continues the message above it)."""
    kept, keep = [], True
    for line in full.read_text(encoding="utf-8").splitlines():
        m = _CHAT_DAY.match(line)
        if m:
            keep = date(2000 + int(m.group(3)), int(m.group(2)), int(m.group(1))) < day
        if keep:
            kept.append(line)
    early.write_text("\n".join(kept) + "\n", encoding="utf-8")
