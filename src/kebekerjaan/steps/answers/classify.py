"""Survey status from alumni messages in the WhatsApp group: staff decisions first,
then the rules in data/aturan_wa.toml together with the learned model
(answers/model.py). Unclear cases go to staff review; nothing is guessed silently, and
a reply about work, business, study or job hunting that nothing can place is not
dropped either: it goes to review.

Every message comes back: either with a status (and the rule, confidence, employer),
or ignored with the reason (media, poll, chit-chat...), or for review, so the counts
add up.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kebekerjaan.io.normalize.phone import to_e164
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.steps.answers.wa_rules import (
    Rule,
    RuleSet,
    _classify_cached,
    _core,
    _employer,
    _Hit,
    _normalize,
    classify_text,
    load_rules,
)

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

__all__ = ["Rule", "Verdict", "classify_messages", "classify_text", "combine", "load_rules"]

# Reasons a message carries no status, as shown to staff.
IGNORE_MEDIA = "media"
IGNORE_DELETED = "pesan dihapus"
IGNORE_PENDING = "pesan belum terunduh (menunggu pesan)"
IGNORE_POLL = "survei/polling WhatsApp"
IGNORE_STAFF = "pesan admin/staf"
IGNORE_QUESTION = "pertanyaan atau pengumuman"
IGNORE_VACANCY = "info lowongan"
IGNORE_CHAT = "obrolan (bukan status)"
IGNORE_NO_SENDER = "pengirim tidak diketahui"
IGNORE_STAFF_DECIDED = "staf sudah memutuskan: bukan jawaban status"
# Why a non-status label is not an answer.
_IGNORE_BY_LABEL = {"obrolan": IGNORE_CHAT, "pertanyaan": IGNORE_QUESTION,
                    "pengumuman": IGNORE_QUESTION, "lowongan": IGNORE_VACANCY}
# A staff decision that a phrasing carries no status (stored in wa_labels).
NOT_STATUS = "bukan_status"
RULE_MODEL = "model"

RULE_STAFF = "keputusan_staf"
# Posts written for the whole group (a vacancy, an announcement): a rule hit in them
# ("dibutuhkan operator di PT ...") is no reason to ask staff, unless the sender also
# speaks of themself ("dapat kerjaan lewat info loker grup ini, makasih").
_FORWARDED = frozenset({"lowongan", "pengumuman"})

@dataclass
class Verdict:
    """What to do with one reply."""

    status: str | None = None
    rule: str | None = None
    confidence: float | None = None
    employer: str | None = None
    review: bool = False
    notes: list[str] | None = None
    ignore_reason: str | None = None


def combine(text: str, hits: list[_Hit], probs, classes: tuple[str, ...], statuses: frozenset[str],
            thresholds, review_below: float, rs: RuleSet | None = None) -> Verdict:
    """One reply's verdict from its rule hits and the model's probabilities.

    The model decides whether a reply is a status at all and which; the rules add the
    employer, and send a reply to review where they disagree with the model or know
    the wording to be doubtful ("lolos seleksi", "magang"). A reply the model is unsure
    about goes to review when a rule found a status or it mentions work, business,
    study or job hunting; only then is it ignored.
    """
    rs = rs or load_rules()
    notes: list[str] = []
    top = int(np.argmax(probs))
    label, p = classes[top], float(probs[top])
    best = max(hits, key=lambda h: h.rule.confidence) if hits else None
    rule_statuses = sorted({h.rule.status for h in hits})
    # The model and a sure rule name the same status: that is enough, if the model is
    # not far from sure itself.
    if (label in statuses and best is not None and best.rule.status == label
            and best.rule.confidence >= review_below and len(rule_statuses) == 1
            and p >= thresholds.agree):
        return Verdict(status=label, rule=best.rule.id, confidence=round(p, 3),
                       employer=_employer_of(hits, label, text, rs), notes=[])
    if label in statuses and p >= thresholds.review:
        agree = [h for h in hits if h.rule.status == label]
        lead = max(agree, key=lambda h: h.rule.confidence) if agree else None
        v = Verdict(status=label, rule=lead.rule.id if lead else RULE_MODEL, confidence=round(p, 3),
                    employer=_employer_of(hits, label, text, rs))
        if p < thresholds.accept and not (lead and lead.rule.confidence >= review_below):
            v.review = True
            notes.append(f"model kurang yakin ({p:.2f})")
        others = [s for s in rule_statuses if s != label]
        if others:
            v.review = True
            notes.append(f"aturan menyebut {', '.join(others)}, model menyebut {label}")
        if lead and lead.rule.confidence < review_below:
            v.review = True
            notes.append(f"keyakinan rendah ({lead.rule.confidence:.2f}): {lead.rule.description}")
        v.notes = notes
        return v
    if label == "menolak" and p >= thresholds.ignore:
        return Verdict(review=True, rule=RULE_MODEL, confidence=round(p, 3),
                       notes=["tampaknya menolak mengisi survei; catat bila benar"])
    # Not a status by the model, or a status it is unsure of: a staff member decides
    # whenever a rule found a status (a status reply may end with a question), or the
    # model is unsure and the reply is about work, business, study or job hunting.
    # No status is proposed: staff pick it.
    forwarded = (label in _FORWARDED and p >= thresholds.ignore
                 and (len(rule_statuses) > 1 or not _signal(rs, "diri_sendiri", text)))
    if best is not None and not forwarded:
        v = Verdict(rule=best.rule.id, confidence=round(p, 3), review=True,
                    employer=_employer_of(hits, best.rule.status, text, rs))
        notes.append(f"aturan {best.rule.id} menyebut {', '.join(rule_statuses)}, model menyebut "
                     f"{label} ({p:.2f})")
        v.notes = notes
        return v
    if p >= thresholds.ignore and label not in statuses:
        return Verdict(ignore_reason=_IGNORE_BY_LABEL.get(label, IGNORE_CHAT))
    if label in statuses or rs.work_words.search(_normalize(text, rs)[0]):
        return Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                       notes=["menyebut kerja, usaha, sekolah atau mencari kerja, tetapi tidak "
                              "dapat digolongkan dengan yakin"])
    return Verdict(ignore_reason=_IGNORE_BY_LABEL.get(label, IGNORE_CHAT))


def _signal(rs: RuleSet, name: str, text: str) -> bool:
    pattern = dict(rs.signals).get(name)
    return bool(pattern and pattern.search(_normalize(text, rs)[0]))


def _employer_of(hits: list[_Hit], status: str, text: str, rs: RuleSet) -> str | None:
    found = next((h.employer for h in sorted(hits, key=lambda h: -h.rule.confidence)
                  if h.employer and h.rule.status == status), None)
    if found or status != "bekerja":
        return found
    return _employer_after_di(text, rs)


_PLAIN_RULE = Rule(id="", status="", confidence=0.0, patterns=(), negatable=False, description="")


def _employer_after_di(text: str, rs: RuleSet) -> str | None:
    """A job told by its role ("sekarang kasir di Indomaret Poasia"): the name after the
    first "di"/"pada" that is neither a place nor a filler word."""
    norm, tokens, _ = _normalize(text, rs)
    norm_tokens = norm.split(" ")
    for i, tok in enumerate(norm_tokens[:-1]):
        if _core(tok) in ("di", "pada") and not tok.endswith((",", ".")):
            name = _employer(tokens, norm_tokens, i + 1, rs, _PLAIN_RULE)
            if name and (name[0].isupper() or name.split()[0].casefold() in rs.legal_prefixes):
                return name
    return None


def classify_messages(messages: pd.DataFrame, settings=None,
                      learned: dict[str, str] | None = None) -> pd.DataFrame:
    """Every message with its survey status, or why it has none.

    `learned` maps phrase keys (model.phrase_key) to what staff decided for that
    phrasing (a status code, or NOT_STATUS); such a reply is not asked again.
    Added columns: status (code or None), employer, rule (id or None), confidence,
    review (bool: staff must check), note (why, in Indonesian), ignored (bool),
    ignore_reason. `attrs["counts"]` holds pesan / berstatus / diabaikan / periksa, and
    `attrs["ignored"]` the number ignored.
    """
    if settings is None:
        from kebekerjaan.core.config import load_settings

        settings = load_settings(None)
    conf = settings.answers
    review_below = conf.review_below
    window = pd.Timedelta(days=conf.disagree_window_days)
    staff = {header_key(s) for s in conf.staff_senders}
    staff |= {p for p in (to_e164(s) for s in conf.staff_senders) if p}
    learned = learned or {}
    n = len(messages)
    status: list[str | None] = [None] * n
    employer: list[str | None] = [None] * n
    rule_ids: list[str | None] = [None] * n
    confidence: list[float | None] = [None] * n
    review = [False] * n
    notes: list[list[str]] = [[] for _ in range(n)]
    ignore_reason: list[str | None] = [None] * n

    cols = messages[["sender", "sender_phone", "text", "is_media", "is_poll"]]
    absent = pd.Series(False, index=messages.index)
    deleted = messages["is_deleted"] if "is_deleted" in messages else absent
    pending = messages["is_pending"] if "is_pending" in messages else absent
    judge: list[int] = []  # replies the rules and the model read
    for i, (sender, phone, text, media, poll, gone, waiting) in enumerate(
        zip(cols["sender"], cols["sender_phone"], cols["text"], cols["is_media"], cols["is_poll"],
            deleted, pending)
    ):
        if media:
            ignore_reason[i] = IGNORE_MEDIA
        elif gone:
            ignore_reason[i] = IGNORE_DELETED
        elif waiting:
            ignore_reason[i] = IGNORE_PENDING
        elif poll:
            ignore_reason[i] = IGNORE_POLL
        elif not sender:
            ignore_reason[i] = IGNORE_NO_SENDER
        elif header_key(sender) in staff or (phone and phone in staff):
            ignore_reason[i] = IGNORE_STAFF
        elif not str(text).strip():
            ignore_reason[i] = IGNORE_CHAT
        else:
            judge.append(i)

    texts = [str(t) for t in cols["text"]]
    rs = load_rules()
    if learned and judge:
        from kebekerjaan.steps.answers.model import phrase_key

        rest = []
        for i in judge:
            decided = learned.get(phrase_key(texts[i]))
            if decided is None:
                rest.append(i)
            elif decided == NOT_STATUS:
                ignore_reason[i] = IGNORE_STAFF_DECIDED
            else:
                status[i], rule_ids[i], confidence[i] = decided, RULE_STAFF, 1.0
                hits, _ = _classify_cached(texts[i])
                employer[i] = _employer_of(hits, decided, texts[i], rs)
        judge = rest
    if judge:
        from kebekerjaan.rules.questionnaire import load_questionnaire
        from kebekerjaan.steps.answers.model import load_model

        model = load_model()
        statuses = frozenset(load_questionnaire().statuses)
        # Repeated short replies ("belum kerja", "mantap") are read by the model once.
        unique = list(dict.fromkeys(texts[i] for i in judge))
        verdicts = {
            text: combine(text, _classify_cached(text)[0], p, model.classes, statuses,
                          model.thresholds, review_below, rs)
            for text, p in zip(unique, model.predict_proba(unique))
        }
        for i in judge:
            v = verdicts[texts[i]]
            status[i], rule_ids[i], confidence[i] = v.status, v.rule, v.confidence
            employer[i], review[i], ignore_reason[i] = v.employer, v.review, v.ignore_reason
            notes[i].extend(v.notes or [])

    out = messages.copy()
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    out["employer"] = pd.Series(employer, index=out.index, dtype=object)
    out["rule"] = pd.Series(rule_ids, index=out.index, dtype=object)
    out["confidence"] = pd.Series(confidence, index=out.index, dtype="float64")
    out["ignored"] = pd.Series([r is not None for r in ignore_reason], index=out.index)
    out["ignore_reason"] = pd.Series(ignore_reason, index=out.index, dtype=object)
    _disagreements(out, review, notes, window)
    out["review"] = pd.Series(review, index=out.index, dtype=bool)
    out["note"] = pd.Series(["; ".join(x) or None for x in notes], index=out.index, dtype=object)
    counts = {
        "pesan": n,
        "berstatus": int(out["status"].notna().sum()),
        "diabaikan": int(out["ignored"].sum()),
        "periksa": int(out["review"].sum()),
    }
    out.attrs["counts"] = counts
    out.attrs["ignored"] = counts["diabaikan"]
    return out


def _disagreements(out: pd.DataFrame, review: list[bool], notes: list[list[str]],
                   window: pd.Timedelta) -> None:
    """Flag replies of one sender whose statuses differ within `window` of each other."""
    who = out["sender_phone"].where(out["sender_phone"].notna(), out["sender"])
    sub = pd.DataFrame({"who": who, "t": out["sent_at"], "status": out["status"],
                        "pos": np.arange(len(out))})[out["status"].notna()]
    sub = sub.sort_values(["who", "t"], kind="stable")
    others = pd.Series([""] * len(sub), index=sub.index, dtype=object)
    for status in sorted(sub["status"].unique()):
        # Nearest reply with this status before and after each row, same sender.
        ts = sub["t"].where(sub["status"] == status)
        grouped = ts.groupby(sub["who"], sort=False)
        near = ((sub["t"] - grouped.ffill()) <= window) | ((grouped.bfill() - sub["t"]) <= window)
        hit = near & (sub["status"] != status)
        others[hit] = others[hit] + ", " + status
    flagged = others[others != ""]
    for pos, names in zip(sub.loc[flagged.index, "pos"], flagged):
        review[pos] = True
        notes[pos].append(f"pengirim yang sama juga menjawab {names[2:]} dalam {window.days} hari")
