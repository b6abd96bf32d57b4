"""Staff decisions in the review panel as labelled examples (SOP step 7).

When staff give a WhatsApp reply its status, or discard it as no answer, that
phrasing is stored in `wa_labels` (store migration 6) under its phrase key
(model.phrase_key: the model's normalized text without punctuation, emoji or
greetings). The next import reads these first (classify_messages(learned=...)), so the
same phrasing is not asked twice; scripts/train_wa_model.py --workspace can also add
them to the model's training replies.
"""

from __future__ import annotations

import sqlite3

import pandas as pd

from kebekerjaan.core import store
from kebekerjaan.steps.answers.classify import NOT_STATUS, REFUSAL_NOTE

__all__ = ["forget", "learned_labels", "learned_summary", "remember"]


def label_of(decision: str, *, status: str | None, answer_status: str | None,
             answer_unclear: str | None) -> str | None:
    """What a decision teaches about the phrasing, or None when it says nothing."""
    if decision == "status":
        return status
    if decision == "buang":
        # Discarding a reply the reader gave a status may be about the person (a
        # duplicate, someone not an alumnus), not the wording: learn only from
        # discarded replies the reader could not place. A reply read as a refusal is
        # discarded once the refusal is recorded: its wording must keep coming to review.
        if answer_unclear and REFUSAL_NOTE in answer_unclear:
            return None
        return NOT_STATUS if answer_unclear and not answer_status else None
    if decision in ("konfirmasi", "pilih") and status:
        return status  # staff chose the status together with the person
    if decision in ("konfirmasi", "pilih") and answer_unclear and answer_status:
        # Staff saw the proposed status on the card and accepted it.
        return answer_status
    return None


def remember(con: sqlite3.Connection, *, answer_key: str, message: str, label: str,
             by: str | None) -> None:
    """Store (or replace) the label of a message's phrasing. Call inside a transaction."""
    from kebekerjaan.steps.answers.model import phrase_key

    key = phrase_key(message)
    if not key:
        return
    con.execute(
        "INSERT INTO wa_labels (phrase_key, message, label, answer_key, decided_by, decided_at) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (phrase_key) DO UPDATE SET "
        "message = excluded.message, label = excluded.label, answer_key = excluded.answer_key, "
        "decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        (key, message, label, answer_key, by, store.now_iso()),
    )


def forget(con: sqlite3.Connection, answer_key: str) -> None:
    """Drop what the decision on `answer_key` taught. Call inside a transaction."""
    con.execute("DELETE FROM wa_labels WHERE answer_key = ?", (answer_key,))


def learned_labels(con: sqlite3.Connection) -> dict[str, str]:
    """phrase key -> label, for classify_messages(learned=...)."""
    return dict(con.execute("SELECT phrase_key, label FROM wa_labels").fetchall())


def learned_summary(ws) -> pd.DataFrame:
    """How many staff decisions the WhatsApp reader has learned from, by label."""
    from kebekerjaan.rules.questionnaire import load_questionnaire

    con = store.connect(ws.store_path)
    try:
        counts = pd.read_sql_query(
            "SELECT label, COUNT(*) AS n FROM wa_labels GROUP BY label ORDER BY n DESC", con)
    finally:
        con.close()
    q = load_questionnaire()
    names = [("bukan jawaban status" if lab == NOT_STATUS else q.status_label(lab))
             for lab in counts["label"]]
    table = pd.DataFrame({"Keputusan staf": names, "Jumlah ungkapan": counts["n"].astype(int)})
    total = pd.DataFrame({"Keputusan staf": ["Jumlah"],
                          "Jumlah ungkapan": [int(counts["n"].sum())]})
    return pd.concat([table, total], ignore_index=True)


def same_phrasing(con: sqlite3.Connection, answer_key: str) -> list[str]:
    """Other queued WhatsApp replies worded like `answer_key`'s, that its learned label
    settles: not yet decided, held for their wording (unclear), and, for a status,
    already matched to their alumnus (the label says nothing about who wrote it)."""
    from kebekerjaan.rules.labels import MATCHED, WHATSAPP
    from kebekerjaan.steps.answers.model import phrase_key

    learned = con.execute("SELECT phrase_key, label FROM wa_labels WHERE answer_key = ?",
                          (answer_key,)).fetchone()
    if learned is None:
        return []
    key, label = learned
    rows = con.execute(
        "SELECT a.answer_key, a.message, a.match_status FROM answers a "
        "LEFT JOIN review_decisions d ON d.answer_key = a.answer_key "
        "WHERE d.id IS NULL AND a.discarded = 0 AND a.source = ? "
        "AND a.unclear IS NOT NULL AND a.answer_key != ?", (WHATSAPP, answer_key)).fetchall()
    return [k for k, message, matched in rows
            if message and phrase_key(message) == key and (label == NOT_STATUS or matched == MATCHED)]
