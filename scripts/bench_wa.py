"""How well WhatsApp replies are read: the four figures of issue 9 on the held-out split
("uji") of data/wa_corpus.csv, through the same classify_messages the import uses,
beside the rules alone (the reader before the model) as a baseline.

    .venv/bin/python scripts/bench_wa.py

Targets: right status or review >= 95 % of status replies; right status outright
>= 85 %; wrong status without review <= 1 %; non-status messages given a status <= 1 %.
Also prints messages per second.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pandas as pd

from kebekerjaan.core.config import load_settings
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.classify import Verdict, classify_messages, classify_text, load_rules
from kebekerjaan.steps.answers.model import figures, load_corpus

TARGETS = {"right_or_review": (">=", 0.95), "right_outright": (">=", 0.85),
           "wrong_no_review": ("<=", 0.01), "false_status": ("<=", 0.01)}
LABELS = {
    "right_or_review": "balasan status: benar atau ditinjau",
    "right_outright": "balasan status: benar langsung",
    "wrong_no_review": "balasan status: salah tanpa tinjauan",
    "false_status": "bukan status tetapi diberi status",
    "review_share": "semua pesan yang ditinjau",
}


def as_messages(texts: list[str]) -> pd.DataFrame:
    start = datetime(2026, 11, 1, 8, 0)
    # One sender per reply: the per-sender disagreement check has nothing to compare.
    return pd.DataFrame({
        "sent_at": [start + timedelta(minutes=i) for i in range(len(texts))],
        "sender": [f"Alumni {i}" for i in range(len(texts))], "sender_phone": None,
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


def main() -> None:
    corpus = load_corpus()
    test = corpus[corpus["split"] == "uji"].reset_index(drop=True)
    statuses = frozenset(load_questionnaire().statuses)
    settings = load_settings(None)
    review_below = settings.answers.review_below
    labels = test["label"].tolist()
    n_status = sum(lab in statuses for lab in labels)
    print(f"korpus: {len(corpus)} pesan; uji (keluarga pola yang tidak dilatih): {len(test)} "
          f"pesan, {n_status} balasan status, {len(test) - n_status} bukan status")

    t0 = time.perf_counter()
    out = classify_messages(as_messages(test["text"].tolist()), settings)
    secs = time.perf_counter() - t0
    verdicts = [Verdict(status=s, review=bool(r)) for s, r in zip(out["status"], out["review"])]
    ours = figures(labels, verdicts, statuses)
    base = figures(labels, [rules_only(t, review_below) for t in test["text"]], statuses)

    print(f"\n{'ukuran':<40}{'aturan saja':>12}{'aturan+model':>14}{'target':>9}")
    for key, label in LABELS.items():
        op, goal = TARGETS.get(key, ("", None))
        target = f"{op}{goal:.0%}" if goal is not None else ""
        ok = "" if goal is None else ("  ok" if (ours[key] >= goal if op == ">=" else ours[key] <= goal)
                                      else "  BELUM")
        print(f"{label:<40}{base[key]:>12.1%}{ours[key]:>14.1%}{target:>9}{ok}")
    print(f"\nclassify_messages: {len(test)} pesan dalam {secs:.2f} s "
          f"({len(test) / secs:,.0f} pesan/detik, termasuk memuat model)")
    wrong = test.assign(status=out["status"], review=out["review"], why=out["note"])
    wrong = wrong[(wrong["label"].isin(statuses) & ~wrong["review"] & (wrong["status"] != wrong["label"])
                   & wrong["status"].notna())
                  | (~wrong["label"].isin(statuses) & wrong["status"].notna())]
    if len(wrong):
        print("\nsalah tanpa tinjauan / bukan status diberi status:")
        for r in wrong.itertuples():
            print(f"  [{r.label} -> {r.status}{' (tinjau)' if r.review else ''}] {r.text}")


if __name__ == "__main__":
    main()
