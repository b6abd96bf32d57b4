"""How well WhatsApp replies are read (issue 15), through the same classify_messages
the import uses, beside the rules alone (the reader before the model) as a baseline:

- corpus: the held-out split ("uji") of data/wa_corpus.csv (whole template families
  the model never saw; but the corpus and the rules were written together);
- G to P: tests/fixtures/wa/blind/wa_blind_g.csv ... wa_blind_p.csv, each written
  blind by a separate writer (only the questionnaire's status definitions and who the
  alumni are) and never looked at message by message: only the aggregate figures below
  are printed for them, never a message. They are the reporting sets; P is the freshest.
  wa_blind_q.csv is the reserve: not read here until the next round.

The model is trained on the corpus's training split and on the replies of independent
writers (scripts/wa_training/wa_train_*.csv; the earlier blind sets A-F joined them
once newer ones were written). --lowo measures how the reader generalises to a
writer it has not seen: each writer's replies read by a model trained on the corpus
alone, and by one trained on the corpus and all the other writers. That is the figure
to improve the reader on; the blind sets are for reporting.

    .venv/bin/python scripts/bench_wa.py                # corpus, the blind sets, and the speed
    .venv/bin/python scripts/bench_wa.py --lowo         # also leave one writer out
    .venv/bin/python scripts/bench_wa.py --lowo-quick   # the same, one fit per writer
    .venv/bin/python scripts/bench_wa.py --lowo --errors t4   # and that writer's misreadings
    .venv/bin/python scripts/bench_wa.py --lowo-quick --fit-doubt   # refit classify.DOUBT_WEIGHTS
    .venv/bin/python scripts/bench_wa.py --ablations    # each part of the reader taken out
    .venv/bin/python scripts/bench_wa.py --wrappers     # the corpus's replies wrapped as in a group

Ablations (corpus only) take one part out of the shipped reader at run time, the
model as trained: the English phrases, the misspelling map, the clause reading (someone
else's status, past and present), the key-word lexicon.

Wrappers (corpus only): the held-out corpus replies again, each wrapped as group chats
wrap answers (a greeting before it, a mention, "izin menjawab", the sender's introduction
before or after it, thanks after it, the whole reply in capitals): each row should read
as the plain one does. The wordings differ from those the training copies are given; a
further tables wrap them in wordings written blind by other writers (WRAPPERS_BLIND,
WRAPPERS_BLIND_2, ...: each one printed first on the reader of its day; only the last is
still unseen by the reader's fixes).

Definitions (per message; the labels are those of the blind sets' `label` column):

- status reply: a message labelled with a survey status (bekerja, wirausaha, mencari,
  belum_memungkinkan, studi). Each one is exactly one of:
  - right: given its labelled status, not sent to review;
  - review: sent to staff review (whatever status is proposed, or none). A row marked
    `doubtful=1` by the writer (the status itself is debatable) that goes to review is
    counted as right: asking staff is the correct outcome for it;
  - dropped: ignored (no status, no review): the alumnus would count as not answered;
  - wrong: given another status without review.
  right + review + dropped + wrong = 100 % of status replies.
- refusal (menolak): in WhatsApp a refusal is not a status: the reader sends it to review
  with no status proposed and staff record the refusal (ui/answers, rules/refusals).
  Handled = sent to review without a status; dropped = ignored; given a status = any
  employment status proposed (outright or in review).
- non-status (obrolan, pertanyaan, lowongan, pengumuman, orang_lain = someone else's
  status): "given a status" when any status is set on it, outright or proposed in review;
  ignoring it or reviewing it without a status are both fine.
- review share: status replies sent to review (the target's "review"), and beside it all
  messages sent to review.
- rows: "aturan" = the rules alone (the reader before issue 9: a question is ignored);
  "model" = classify_messages alone (rules and model); "kini" = as step 7 keeps them for
  senders known as alumni (keep_known_senders): every sender in these sets is taken to
  be an alumnus, so a message ignored without being surely no status goes to review.
  The targets are read on "kini". "kini*" (reporting sets only): "kini" without the
  replies that a training writer or the corpus happens to hold word for word (short
  stock replies, mostly: independent writers write "Belum kerja pak" too).
- messages/s: classify_messages over distinct texts (the corpus and the blind sets,
  caches emptied), model and rules already loaded, the best of three passes; the first
  load is printed apart.
  Counted in CPU time of this process (time.process_time), so other work on the
  machine does not change the figure.

Targets on each reporting (blind) set: right outright >= 90 % of status replies, dropped 0,
wrong without review 0, non-status given a status 0, review <= 10 % of status replies;
classification >= 3,000 distinct messages/s.
"""

from __future__ import annotations

import argparse
import time
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from kebekerjaan.core.config import load_settings
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.classify import (
    REFUSAL,
    Verdict,
    classify_messages,
    classify_text,
    keep_known_senders,
    load_rules,
)
from kebekerjaan.steps.answers.model import load_corpus, load_model, outcomes

ROOT = Path(__file__).resolve().parents[1]
BLIND = ROOT / "tests" / "fixtures" / "wa" / "blind"
# The reporting sets: aggregate figures only, never a message.
SETS = {"G": BLIND / "wa_blind_g.csv", "H": BLIND / "wa_blind_h.csv", "I": BLIND / "wa_blind_i.csv",
        "J": BLIND / "wa_blind_j.csv", "K": BLIND / "wa_blind_k.csv", "L": BLIND / "wa_blind_l.csv",
        "M": BLIND / "wa_blind_m.csv", "N": BLIND / "wa_blind_n.csv", "O": BLIND / "wa_blind_o.csv",
        "P": BLIND / "wa_blind_p.csv"}
TARGETS = {"right": (">=", 0.90), "dropped": ("==", 0), "wrong": ("==", 0),
           "false_status": ("==", 0), "review": ("<=", 0.10)}
MIN_SPEED = 3000
SPEED_ROUNDS = 3


def as_messages(texts: list[str]) -> pd.DataFrame:
    start = datetime(2026, 11, 1, 8, 0)
    # One sender per reply: the per-sender disagreement check has nothing to compare.
    return pd.DataFrame({
        "sent_at": [start + timedelta(minutes=i) for i in range(len(texts))],
        # A number as the name, as WhatsApp shows an unsaved contact: no reply opens with it.
        "sender": [f"0812{i:07d}" for i in range(len(texts))], "sender_phone": None,
        "text": texts, "line_start": range(1, len(texts) + 1), "is_media": False,
        "is_poll": False, "is_deleted": False, "is_pending": False,
    })


def rules_only(text: str, review_below: float) -> Verdict:
    """The reader before issue 9: the rules, questions ignored."""
    hits, question = classify_text(text, load_rules())
    if question or not hits:
        return Verdict(ignore_reason="x")
    best = max(hits, key=lambda h: h.rule.confidence)
    review = len({h.rule.status for h in hits}) > 1 or best.rule.confidence < review_below
    return Verdict(status=best.rule.status, review=review)


def load_sets() -> dict[str, pd.DataFrame]:
    corpus = load_corpus()
    out = {"corpus": corpus[corpus["split"] == "uji"].assign(doubtful=0)}
    for name, path in SETS.items():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        out[name] = frame.assign(doubtful=frame["doubtful"].astype(int))
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def _same(text: str) -> str:
    return " ".join(str(text).casefold().split())


def training_texts() -> set[str]:
    """Every reply the shipped model was trained on (train_wa_model.training_rows)."""
    return {_same(t) for t in _train_module().training_rows()[0]}


def _train_module():
    """scripts/train_wa_model.py, which is no package module."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("train_wa_model",
                                                  ROOT / "scripts" / "train_wa_model.py")
    train = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train)
    return train


def verdicts_of(frame: pd.DataFrame, settings) -> tuple[list[Verdict], list[Verdict], pd.DataFrame]:
    """Verdicts of the classifier alone, and as step 7 treats them for senders known as
    alumni (keep_known_senders: every sender of these sets is an alumnus)."""
    alone = classify_messages(as_messages(frame["text"].tolist()), settings)
    out = keep_known_senders(alone, True)

    def verdicts(o):
        return [Verdict(status=s, review=bool(r), ignore_reason=why)
                for s, r, why in zip(o["status"], o["review"], o["ignore_reason"])]

    return verdicts(alone), verdicts(out), out


def row(name: str, f: dict) -> str:
    return (f"{name:<14}{f['n_status']:>6}{f['right']:>8.1%}{f['review']:>8.1%}{f['dropped_n']:>8}"
            f"{f['wrong_n']:>7}{f['refusals']:>6}/{f['refusals_handled']:<3}{f['refusals_lost']:>5}"
            f"{f['n_other']:>6}{f['false_status_n']:>6}{f['review_all']:>8.1%}")


HEADER = (f"{'':<14}{'status':>6}{'benar':>8}{'tinjau':>8}{'dibuang':>8}{'salah':>7}"
          f"{'tolak/ok':>10}{'hilang':>6}{'lain':>5}{'diberi':>7}{'tinjau*':>8}")


def speed(sets: dict[str, pd.DataFrame], settings) -> tuple[int, float]:
    from kebekerjaan.steps.answers import wa_rules

    texts = list(dict.fromkeys(t for frame in sets.values() for t in frame["text"]))
    frame = as_messages(texts)
    best = float("inf")
    for _ in range(SPEED_ROUNDS):  # a pass takes well under a second: the best of a few
        wa_rules.clear_caches()  # every text and token read as for the first time
        load_model().clear_caches()
        start = time.process_time()
        classify_messages(frame, settings)
        best = min(best, time.process_time() - start)
    return len(texts), best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ablations", action="store_true",
                    help="measure the reader with each part taken out (corpus)")
    ap.add_argument("--lowo", action="store_true",
                    help="leave one writer out: retrain without each training writer, test on it")
    ap.add_argument("--lowo-quick", action="store_true",
                    help="as --lowo, with one fit per writer (the shipped model's temperature "
                         "and thresholds) and no corpus-only row: minutes instead of an hour")
    ap.add_argument("--fit-doubt", action="store_true",
                    help="with --lowo-quick: fit classify.DOUBT_WEIGHTS on the held-out "
                         "writers' outright statuses and print them")
    ap.add_argument("--wrappers", action="store_true",
                    help="the corpus's held-out replies wrapped as in a group chat (greeting, "
                         "mention, introduction, thanks, capitals)")
    ap.add_argument("--errors", default="",
                    help="with --lowo: print these training writers' misread messages "
                         "(comma-separated names; never a reporting set's)")
    args = ap.parse_args(argv)
    settings = load_settings(None)
    review_below = settings.answers.review_below
    statuses = frozenset(load_questionnaire().statuses)
    t0 = time.perf_counter()
    classify_messages(as_messages(["sudah kerja di PT Maju"]), settings)  # loads all once
    load_secs = time.perf_counter() - t0
    sets = load_sets()
    trained = training_texts()
    results = {}
    print("kolom: status = balasan status; benar/tinjau = % balasan status; dibuang, salah "
          "(tanpa tinjauan) = jumlah;\n  tolak/ok = penolakan / yang ditinjau tanpa status; "
          "hilang = penolakan dibuang atau diberi status;\n  lain = bukan status; diberi = bukan "
          "status tetapi diberi status; tinjau* = % semua pesan yang ditinjau;\n  kini* = kini tanpa "
          "balasan yang kata per katanya juga ada di data latih\n")
    print(HEADER)
    for name, frame in sets.items():
        labels, doubtful = frame["label"].tolist(), frame["doubtful"].tolist()
        base = outcomes(labels, [rules_only(t, review_below) for t in frame["text"]], statuses,
                        doubtful)
        alone, verdicts, out = verdicts_of(frame, settings)
        ours = outcomes(labels, verdicts, statuses, doubtful)
        results[name] = ours
        print(row(f"{name}: aturan", base))
        print(row(f"{name}: model", outcomes(labels, alone, statuses, doubtful)))
        print(row(f"{name}: kini", ours))
        if name in SETS:
            # Independent writers now and then write the same words ("Belum kerja pak"):
            # the same figures without the replies the model was trained on word for word.
            fresh = [_same(t) not in trained for t in frame["text"]]
            keep = [i for i, f in enumerate(fresh) if f]
            print(row(f"{name}: kini*", outcomes([labels[i] for i in keep],
                                                 [verdicts[i] for i in keep], statuses,
                                                 [doubtful[i] for i in keep])))
    if args.ablations:
        ablations({"corpus": sets["corpus"]}, settings, statuses)
    if args.wrappers:
        wrappers(sets["corpus"], settings, statuses)
    if args.lowo or args.lowo_quick:
        leave_one_writer_out(settings, statuses, {w for w in args.errors.split(",") if w},
                             quick=args.lowo_quick, fit_doubt=args.fit_doubt)
    n, secs = speed(sets, settings)
    print(f"\nkecepatan: {n} pesan berbeda dalam {secs:.2f} s CPU (terbaik dari {SPEED_ROUNDS}) = "
          f"{n / secs:,.0f} pesan/detik "
          f"(memuat aturan dan model pertama kali: {load_secs:.2f} s)")
    for name in SETS:
        targets(name, results[name], n / secs)
    return 0


# How group chats wrap an answer (reply_core, the training copies of train_wa_model): other
# wordings than those, so that the rows measure what was not tuned on.
WRAPPERS = {
    "salam": "Assalamu alaikum wr. wb. Bapak ibu yg saya hormati, {}",
    "sebut": "@+62 813-4567-8901 {}",
    "izin": "Mohon ijin menjawab pertanyaan ibu 🙏 {}",
    "perkenalan": "Saya Ayu Lestari (Tata Rias, gelombang 3) {}",
    "perkenalan akhir": "{}\n~ Muh. Arfah, alumni Listrik 2022",
    "terima kasih": "{} Sekian dan terima kasih 🙏",
    "kapital": None,
}


# Written blind (eighth round) by a writer who saw neither the rules nor the wordings
# above, only what group chats wrap answers in; printed once on the round's final reader.
WRAPPERS_BLIND = {
    "salam_formal": (
        "Assalamu'alaikum warahmatullahi wabarakatuh. Mohon izin menjawab Bapak/Ibu, {}. "
        "Terima kasih 🙏"),
    "tabe_mention": "Tabe' @Pak Rahmat 🙏 {}",
    "perkenalan_las": "Selamat siang Bu, sy Arjun Saputra alumni kejuruan Las angkatan 2 thn 2023, {}",
    "maaf_telat": "Maaf baru sempat balas bu, hp lowbat dr kemarin 😅 {}",
    "mention_staf": "@Bu Wa Ode Nurlia {} 🙏🙏",
    "izin_jawab_santai": "Izin jawab ka' 🙏 {} hehe",
    "ttd_nama": "{}\n\nTtd,\nSitti Rahmawati\nMenjahit gel. 3 / 2024",
    "english_mix": "Hi Miss, sorry for the late reply 🙏 {}. Thank you so much!",
    "salam_sejahtera": "Shalom, salam sejahtera Pak, selamat malam. {} Tuhan memberkati 🙏",
    "otomotif_gelombang": (
        "Pagi pak 👋 sya Ilham dari Otomotif gelombang 1 2022, ijin menjawab: {} 🙏 "
        "trimakasih"),
    "lokal_kendari": "Iye pak 🙏 {} pak. Makasih banyak sdh ditanya kabarta kodong 😊",
    "tata_rias_formal": (
        "Yth. Bapak/Ibu Instruktur BPVP Kendari. Perkenalkan saya Nur Aisyah, alumni Tata "
        "Rias angkatan 2023. Izin melaporkan bahwa {}. Demikian, terima kasih. "
        "Wassalamu'alaikum wr. wb."),
    "tik_english": "Good evening Sir 🙏 Fadli here, TIK batch 4 2024. {} Thanks a lot sir 👍",
    "balas_salam": "Wa'alaikumsalam pak 🙏😊 {}",
}

# A second set, written blind by a third writer after the fixes the first one led to;
# printed first on the round's next-to-last reader, whose fixes it then led to.
WRAPPERS_BLIND_2 = {
    "salam_full": "Assalamu'alaikum warahmatullahi wabarakatuh. {}",
    "tabe_mention": "Tabe' @Andi Rahmawati Staf BPVP Kdi 🙏 izin menjawab bu, {}",
    "late_lowbat": "Maaf baru balas bu, HP sa lowbat dari kemarin kodong 😅 {}",
    "intro_formal": (
        "Selamat siang Bapak/Ibu. Perkenalkan, saya La Ode Faisal Mbaru, alumni kejuruan "
        "Teknik Listrik Angkatan III tahun 2022 asal Raha, Muna. Izin melapor: "
        "{}\nDemikian, terima kasih. Wassalamu'alaikum wr. wb."),
    "english_hi": "Hi ma'am, good morning 😊 {} Thanks for asking!",
    "shalom": "Shalom, selamat sore ibu @Yohana Lamba' 🙏 {} Tuhan Yesus memberkati.",
    "emoji_only": "{} 👍",
    "iye_pak": "Iye pak 🙏 {}",
    "letter": (
        "Yth. Bapak Daeng Mattola Hasanuddin di tempat. Dengan hormat, {}\nAtas "
        "perhatiannya saya ucapkan terima kasih.\nHormat saya, Wa Ode Sartika (Tata "
        "Busana, Angk. 2/2023)"),
    "playful_bela": "Waduh di-tag sama @Pak Irwan Tosepu 😂😂 siap bela, {} wkwk",
    "sorry_sir": "Sorry for the late reply sir, td lg di jalan dr Kolaka 🙏 {}",
    "doa_after": (
        "{}\nSemoga Bapak/Ibu instruktur sehat selalu dan BPVP Kendari makin jaya. Aamiin "
        "ya Rabbal 'alamin 🤲"),
    "typo_short": "asslmkm bu, mf mau jwb, {} , mksh bnyk bu🙏🙏",
    "izin_mention": "Izin menjawab pertanyaan dari @Muh. Arsyad Lakidende BPVP, {}",
    "intro_casual": "sa Rahmat dr Wakatobi, anak las angkatan 1 thn lalu 😁 {} hehe",
    "signature": "Selamat malam. {}\nTerima kasih 🙏\n~ Yuliana Tandi Lolo, Baubau",
}
# A third set, written blind by a fourth writer after the fixes the second one led to;
# printed first on the round's next-to-last reader, whose fixes it then led to.
WRAPPERS_BLIND_3 = {
    "tabe_short": "Tabe' pak, {}",
    "siap_dot": "Siap. {}",
    "salam_doa_multi": (
        "Assalamualaikum warahmatullahi wabarakatuh\nMohon izin menjawab pertanyaan ibu "
        "🙏\n{}\nSemoga ibu sekeluarga selalu diberi kesehatan, aamiin ya rabbal alamin 🤲"),
    "kaget_ditag": "Astagaa kaget sa ditag 😂😂 iye bu, {}",
    "english_evening": "Good evening ma'am! {} Thanks for checking in on us 😊🙏",
    "hp_dicas": "Mohon maaf baru sempat balas bu, hp sa tadi mati total baru selesai dicas 🔋🙏 {}",
    "intro_kolaka": "Perkenalkan sy La Ode Arman dari Kolaka Utara, ijin lapor pak 🫡 {}",
    "profpic_comment": "@Yusran Tamburaka 🌴 pak, foto profilnya baru di' 😁 gagah sekali mi. Oh iya {}",
    "karaoke_vn": "Mau kirim VN tp suara sa serak habis karaoke semalam 🎤🤣 jd ketik saja nah: {}",
    "signature_unaaha": "{}\n\nsalam hangat,\n~ Nurul Fitriani (Unaaha) ~",
    "thanks_ingat": "{} 🙏🙏 makasih banyak bu sdh ditanya kabarnya, ternyata masih ingat ji sama kami 🥹❤️",
    "izin_mention": "Izin menanggapi ibu @Hasnawati Lamba 🌸 {}",
    "typo_lowercase": "slmt mlm bpk ibu,,, ijin jwb yaa {} mf kl typo jempol besar 🙏😅",
    "hehe_iye": "Hehehe iye mi pak {} 😁",
    "barakallah": "{} Barakallahu fiikum 🤲✨",
    "bela_wkwk": "Wkwkwk baru mau tidur langsung dipanggil 😴📱 oke bela, {} 👍👍",
}
# A fourth set, written blind by a fifth writer after the fixes the third one led to;
# printed once, on the eighth round's final reader.
WRAPPERS_BLIND_4 = {
    "tabe_izin": "tabe' pak Rusdin 🙏 izin jawab nah.. {}",
    "emoji_only": "{} 🙏🏻",
    "formal_salam": (
        "Assalamualaikum wr. wb.\nMohon maaf baru sempat balas, hp lowbat dari semalam "
        "🙏\n{}\nWassalam,\nNurhayati - Baruga"),
    "kaget_tag": "eh kenapa sa di tag 😂😂 sa kira ada arisan... {}",
    "mention_full": "@~Bu Wa Ode Sitti Marlina Kdi 🌸 izin menjawab bu, {}",
    "caps_lapor": "ANDI MAPPASOMBA MELAPOR 🫡 {} SEKIAN DAN TERIMA KASIH",
    "hadir_foto": "hadir 🙋‍♂️\n{}\nbtw foto yg di atas itu acara kapan? sa tdk dapat info 😭",
    "english": "Good evening everyone 🙏 {}. Have a blessed night, God bless you all",
    "doa_panjang": (
        "{}\n\nSemoga kita semua selalu diberi kesehatan dan umur panjang, aamiin ya rabbal "
        "alamin 🤲🤲"),
    "sinyal_typo": "maaf klo typo2 pak, sinyal lg putus2 dri tadi 🙏 {}",
    "ketawa_absen": "wkwkwk langsung di absen ini 🤣🤣 {} hehe",
    "tolaki_tabea": "Tabea inggomiu bapak ibu 🙏 {}",
    "signature": "{}\n-Rahmat, Lepo-Lepo-",
    "siap_ndan": "siap ndan ✋ {}",
    "ededeh": "ededeh 😳 sy kira salah grup td.. {} , makasih sdh diingat pak Darwis 🙏",
    "singkat_lower": "asslmkm pak.. {} mksh",
}

def wrappers(frame: pd.DataFrame, settings, statuses) -> None:
    labels, doubtful = frame["label"].tolist(), frame["doubtful"].tolist()
    for title, wordings in (("", {"polos": "{}", **WRAPPERS}),
                            (" (bungkus ditulis buta)", WRAPPERS_BLIND),
                            (" (bungkus ditulis buta, kedua)", WRAPPERS_BLIND_2),
                            (" (bungkus ditulis buta, ketiga)", WRAPPERS_BLIND_3),
                            (" (bungkus ditulis buta, keempat)", WRAPPERS_BLIND_4)):
        print(f"\nbalasan korpus (uji) dibungkus seperti di grup{title} (baris 'kini'):")
        print(HEADER)
        for name, shape in wordings.items():
            texts = [t.upper() if shape is None else shape.format(t) for t in frame["text"]]
            _, verdicts, _ = verdicts_of(frame.assign(text=texts), settings)
            print(row(name, outcomes(labels, verdicts, statuses, doubtful)))


def targets(name: str, blind: dict, rate: float) -> None:
    path = SETS[name]
    print(f"\ntarget pada set {name} ({path.name}, tidak pernah dilihat per pesan):")
    checks = {"right": blind["right"], "dropped": blind["dropped_n"], "wrong": blind["wrong_n"],
              "false_status": blind["false_status_n"], "review": blind["review"]}
    names = {"right": "benar langsung", "dropped": "dibuang", "wrong": "salah tanpa tinjauan",
             "false_status": "bukan status diberi status", "review": "ditinjau"}
    for key, (op, goal) in TARGETS.items():
        value = checks[key]
        ok = value >= goal if op == ">=" else value <= goal if op == "<=" else value == goal
        shown = f"{value:.1%}" if isinstance(value, float) else str(value)
        target = f"{goal:.0%}" if isinstance(goal, float) else str(goal)
        print(f"  {names[key]:<28}{shown:>8}   target {op} {target:<5} {'ok' if ok else 'BELUM'}")
        if key == "false_status" and value:
            outright = blind["false_status_outright_n"]
            print(f"    (tercatat langsung {outright}, hanya diusulkan dalam tinjauan {value - outright})")
    print(f"  {'pesan/detik':<28}{rate:>8,.0f}   target >= {MIN_SPEED:<5} "
          f"{'ok' if rate >= MIN_SPEED else 'BELUM'}")


def leave_one_writer_out(settings, statuses, show_errors=frozenset(), quick=False,
                         fit_doubt=False) -> None:
    """Each training writer's replies read by a model trained without them: on the corpus
    alone, and on the corpus with all the other writers (as the shipped model is built
    with all of them). The rules are the same in every row: they were written knowing
    the writers, so these figures flatter the rules a little. `quick`: only the second
    row, each model fitted once with the shipped model's temperature and thresholds.
    `fit_doubt`: the guard of classify.DOUBT_WEIGHTS left out, and fitted on what it
    would have weighed (fit_doubt_guard)."""
    from kebekerjaan.steps.answers import classify
    from kebekerjaan.steps.answers import model as model_module

    train = _train_module()
    shipped = model_module.load_model
    calibrated = shipped() if quick else None
    print("\ntinggalkan satu penulis (latih tanpa penulis itu, uji padanya; baris 'kini'"
          + ("; satu kali latih per penulis, suhu dan ambang model terpasang):" if quick else "):"))
    print(HEADER)
    built, total = {}, {}
    # writer, doubt features, and "right", "wrong" or "bukan status" (a non-status message)
    seen: list[tuple[str, tuple[float, ...], str]] = []
    guard = classify.DOUBT_MAX
    if fit_doubt:
        classify.DOUBT_MAX = float("inf")
    try:
        for writer, path in train.WRITERS.items():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            frame = frame.assign(doubtful=frame["doubtful"].astype(int))
            others = tuple(w for w in train.WRITERS if w != writer)
            for tag, writers in (("korpus", ()), ("+lain", others))[quick:]:
                if writers not in built:
                    parts = train.build(*train.training_rows(writers), quiet=True,
                                        calibrated=calibrated)
                    built[writers] = train.in_memory(parts)
                model_module.load_model = lambda m=built[writers]: m
                _, verdicts, out = verdicts_of(frame, settings)
                f = outcomes(frame["label"].tolist(), verdicts, statuses, frame["doubtful"].tolist())
                print(row(f"{writer} {tag}", f))
                if tag == "+lain":
                    for key in ("n_status", "n_other", "right_n", "review_n", "dropped_n",
                                "wrong_n", "false_status_n"):
                        total[key] = total.get(key, 0) + f[key]
                    if writer in show_errors:
                        _print_errors(frame, out, statuses)
                    if fit_doubt:
                        seen += _outright(writer, frame, verdicts, built[writers], statuses)
            built.pop(others, None)
        n = max(total.get("n_status", 0), 1)
        print(f"semua penulis (+lain): benar {total.get('right_n', 0) / n:.1%}, tinjau "
              f"{total.get('review_n', 0) / n:.1%}, dibuang {total.get('dropped_n', 0)}, salah "
              f"{total.get('wrong_n', 0)}, bukan status diberi status "
              f"{total.get('false_status_n', 0)}/{total.get('n_other', 0)}")
        if fit_doubt:
            fit_doubt_guard(seen, total)
    finally:
        model_module.load_model = shipped
        classify.DOUBT_MAX = guard


# The share of right outright statuses (held-out writers) the doubt guard may send to
# review: what it costs, chosen on the curve fit_doubt_guard prints.
DOUBT_COST = 0.02


def _outright(writer, frame, verdicts, model, statuses):
    """(writer, classify.doubt_features, how it fares) of each status given outright."""
    from kebekerjaan.steps.answers.classify import doubt_features
    from kebekerjaan.steps.answers.wa_rules import rule_hits

    texts = frame["text"].tolist()
    probs = model.predict_proba(texts)
    out = []
    for text, label, v, p in zip(texts, frame["label"], verdicts, probs):
        if v.status and not v.review:
            p_of = dict(zip(model.classes, map(float, p)))
            norm = rule_hits(text).norm or text
            fares = ("right" if v.status == label else "wrong" if label in statuses
                     else "tolak" if label == REFUSAL else "bukan status")
            out.append((writer, doubt_features(p_of, v.status, statuses, norm), fares))
    return out


def fit_doubt_guard(seen, total: dict) -> None:
    """Fit classify.DOUBT_WEIGHTS: a logistic regression of "not right" on the doubt
    features of every outright status of the held-out writers; print what it costs and
    catches when fitted without each writer's group of folds, the leave-one-writer-out
    totals with such a guard, and the weights and the DOUBT_MAX that send DOUBT_COST of
    the right ones to review."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    writers = np.array([w for w, _, _ in seen])
    x = np.array([f for _, f, _ in seen])
    fares = np.array([how for _, _, how in seen])
    bad = fares != "right"
    held = np.zeros(len(bad))
    folds = GroupKFold(n_splits=min(10, len(set(writers))))
    for tr, te in folds.split(x, bad, writers):
        fold = LogisticRegression(C=100.0, max_iter=2000).fit(x[tr], bad[tr])
        held[te] = fold.predict_proba(x[te])[:, 1]
    print(f"\npenjaga ragu (status langsung penulis yang ditinggalkan: {int((~bad).sum())} "
          f"benar, {int(bad.sum())} bukan status atau salah):")
    for cost in (0.005, 0.01, 0.02, 0.03, 0.05):
        line = np.quantile(held[~bad], 1 - cost)
        print(f"  biaya {cost:.1%} yang benar ke tinjauan: tertangkap "
              f"{int((held[bad] >= line).sum())} dari {int(bad.sum())} "
              "(diuji tanpa kelompok penulisnya)")
    caught = held >= np.quantile(held[~bad], 1 - DOUBT_COST)
    n = max(total.get("n_status", 0), 1)
    lost, fixed = int((caught & ~bad).sum()), int((caught & (fares == "wrong")).sum())
    print(f"  dengan penjaga ({DOUBT_COST:.0%}): benar {(total['right_n'] - lost) / n:.1%}, tinjau "
          f"{(total['review_n'] + lost + fixed) / n:.1%}, dibuang {total['dropped_n']}, salah "
          f"{total['wrong_n'] - fixed}, bukan status diberi status "
          f"{total['false_status_n'] - int((caught & (fares == 'bukan status')).sum())}"
          f"/{total['n_other']}")
    fitted = LogisticRegression(C=100.0, max_iter=2000).fit(x, bad)
    line = float(np.quantile(fitted.predict_proba(x)[~bad, 1], 1 - DOUBT_COST))
    print(f"  DOUBT_WEIGHTS = ({', '.join(f'{w:.3f}' for w in fitted.coef_[0])})")
    print(f"  DOUBT_BIAS = {fitted.intercept_[0]:.3f}")
    print(f"  DOUBT_MAX = {line:.3f}  (biaya {DOUBT_COST:.0%})")


def ablations(sets: dict[str, pd.DataFrame], settings, statuses) -> None:
    """The "kini" row of each set with one part of the reader taken out at run time."""
    import dataclasses
    import re

    from kebekerjaan.steps.answers import wa_rules, wa_ruleset

    rs = wa_ruleset.load_rules()
    typos = wa_ruleset._typo_map(_text_table(), {})
    never = re.compile(r"(?!x)x")
    parts = {
        "tanpa ungkapan Inggris": {"phrases": never, "phrase_words": ((), frozenset())},
        "tanpa peta salah ketik": {"abbreviations": {k: v for k, v in rs.abbreviations.items()
                                                     if k not in typos or k in _listed()}},
        "tanpa leksikon kata kunci": {"lexicon": {}},
    }
    print("\nablasi (model tetap seperti dilatih; baris 'kini'):")
    print(HEADER)
    original_resolve = wa_rules._resolve
    for name, change in [*parts.items(), ("tanpa pembacaan klausa", None)]:
        saved = {k: getattr(rs, k) for k in (change or {})}
        for k, v in (change or {}).items():
            object.__setattr__(rs, k, v)
        if change is None:
            wa_rules._resolve = lambda hits, clauses, q, norm, me: original_resolve(
                hits, [dataclasses.replace(c, other=False, past=False, future=False,
                                           present=False) for c in clauses], q, norm, me)
        try:
            for set_name, frame in sets.items():
                wa_rules.rule_hits.cache_clear()
                wa_rules.normalized.cache_clear()
                _, verdicts, _ = verdicts_of(frame, settings)
                f = outcomes(frame["label"].tolist(), verdicts, statuses, frame["doubtful"].tolist())
                print(row(f"{set_name}", f) + f"   {name}")
        finally:
            for k, v in saved.items():
                object.__setattr__(rs, k, v)
            wa_rules._resolve = original_resolve
            wa_rules.rule_hits.cache_clear()
            wa_rules.normalized.cache_clear()


def _text_table() -> dict:
    from kebekerjaan.steps.answers.wa_ruleset import rules_table

    return rules_table()["text"]


def _listed() -> set[str]:
    return {k.casefold() for k in _text_table()["abbreviations"]}


def _print_errors(frame: pd.DataFrame, out: pd.DataFrame, statuses) -> None:
    print("  salah baca:")
    for label, doubt, text, status, review, why, note in zip(
            frame["label"], frame["doubtful"], frame["text"], out["status"], out["review"],
            out["ignore_reason"], out["note"]):
        if label in statuses:
            bad = review and not doubt or (not review and status != label)
        elif label == "menolak":
            bad = status is not None or not review
        else:
            bad = status is not None
        if bad:
            got = f"{status or '-'}{' (tinjau)' if review else ''}{f' [{why}]' if why else ''}"
            print(f"    [{label} -> {got}] {' '.join(str(text).split())}"
                  + (f"  // {note}" if note and review else ""))


if __name__ == "__main__":
    raise SystemExit(main())
