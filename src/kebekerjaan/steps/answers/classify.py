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

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kebekerjaan.io.normalize.phone import to_e164
from kebekerjaan.io.normalize.text import header_key
from kebekerjaan.steps.answers.matching import name_tokens
from kebekerjaan.steps.answers.wa_rules import (
    READ_CACHE,
    Hit,
    Reading,
    classify_text,
    employer_at,
    normalized,
    rule_hits,
)
from kebekerjaan.steps.answers.wa_ruleset import (
    REFUSAL,
    Rule,
    RuleSet,
    core_of,
    load_rules,
    normalize,
    reply_core,
)

__all__ = ["Rule", "Verdict", "classify_messages", "classify_text", "combine", "keep_known_senders",
           "load_rules"]

# Reasons a message carries no status, as shown to staff.
IGNORE_MEDIA = "media"
IGNORE_DELETED = "pesan dihapus"
IGNORE_PENDING = "pesan belum terunduh (menunggu pesan)"
IGNORE_POLL = "survei/polling WhatsApp"
IGNORE_STAFF = "pesan admin/staf"
IGNORE_QUESTION = "pertanyaan atau pengumuman"
IGNORE_VACANCY = "info lowongan"
IGNORE_CHAT = "obrolan (bukan status)"
IGNORE_OTHERS = "status orang lain, bukan pengirim"
IGNORE_NO_SENDER = "pengirim tidak diketahui"
IGNORE_STAFF_DECIDED = "staf sudah memutuskan: bukan jawaban status"
# Why a non-status label is not an answer.
_IGNORE_BY_LABEL = {"obrolan": IGNORE_CHAT, "pertanyaan": IGNORE_QUESTION,
                    "pengumuman": IGNORE_QUESTION, "lowongan": IGNORE_VACANCY,
                    "orang_lain": IGNORE_OTHERS}
# A staff decision that a phrasing carries no status (stored in wa_labels).
NOT_STATUS = "bukan_status"
RULE_MODEL = "model"
RULE_STAFF = "keputusan_staf"
# REFUSAL (wa_ruleset): not a survey status; staff record it (ui/answers).
REFUSAL_NOTE = "tampaknya menolak disurvei; catat penolakannya bila benar"
# Posts written for the whole group (a vacancy, an announcement): a rule hit in them
# ("dibutuhkan operator di PT ...") is no reason to ask staff, unless the sender also
# speaks of themself ("dapat kerjaan lewat info loker grup ini, makasih").
_FORWARDED = frozenset({"lowongan", "pengumuman"})
# Not a status reply, surely: the model this sure of a non-status kind, and the rules
# found no status of the sender's own. Only such an ignored message from a known alumnus
# stays ignored (keep_known_senders); below it, staff look.
SURE = 0.8
# The model this sure of a status outweighs a rule naming another one.
STRONG = 0.9
# A status the model reads in a message where nobody speaks of themself goes to review
# when the non-status kinds (posts, questions, chit-chat, others' news) are this likely.
POSTED_DOUBT = 0.4
# Guards chosen by leaving one training writer out (bench_wa.py --lowo; docs/dev/whatsapp.md):
# a status given outright to a reply that also tells of an earlier state ("dulu", "kemarin",
# "sempat") goes to review when the model gives another status at least this much: the
# past and the present are what the rules and the model most often mix up.
PAST_RIVAL = 0.05
# An ignored message is surely no status only while the model gives all the statuses
# together less than this.
SURE_STATUS_MASS = 0.05
# Guards of the third round, chosen the same way on nine writers (docs/dev/whatsapp.md):
# a status is given without review only when the model gives it at least OUTRIGHT_MIN;
# a status (outright or proposed) while the model gives the non-status kinds (posts,
# questions, chit-chat, someone else's news) together NOT_STATUS_DOUBT or more goes to
# review with no status proposed; a rule's status goes the same way, even when the
# sender speaks of themself ("saya jual motor bekas ..."), when the model reads a
# non-status kind at NOT_STATUS_OVER_RULE or more.
OUTRIGHT_MIN = 0.6
NOT_STATUS_DOUBT = 0.2  # fifth round: 0.3 -> 0.2 (twenty writers: 0.6 points right for 16 of 85
# non-status messages given a status; docs/dev/whatsapp.md)
NOT_STATUS_OVER_RULE = 0.6
# Distinct texts read at once: the rules' reading of each, kept by rule_hits, must last
# through the model's two feature passes and combine.
READ_BLOCK = READ_CACHE // 4
# The sixth round's guard, fitted by leaving one writer out (scripts/bench_wa.py
# --lowo-quick --fit-doubt; docs/dev/whatsapp.md): how likely a status given outright is
# no status of the sender's after all (someone else's news, a post, a joke) or another
# status, from the model's own figures: the log of what it gives the non-status kinds
# together, the log of what it gives the status, how far the status leads the next kind,
# and the log of the reply's length in words (posts and news run longer than answers).
# At DOUBT_MAX or more the reply goes to review with no status proposed.
# Fitted on 29 writers (10,756 right outright, 160 not): sends 2 % of the right ones to
# review and catches 50 of the 160 (each writer's group held out of the fit).
DOUBT_WEIGHTS = (0.440, 0.025, -3.109, 1.802)
DOUBT_BIAS = -2.896
DOUBT_MAX = 0.110
# Words of a vacancy post (not "japri", "order": a seller says them too; not "kirim
# lamaran", "fresh graduate", "butuh karyawan": job seekers say them).
_VACANCY = re.compile(r"(?<!\w)(?:dibutuhkan|membutuhkan|dicari|lowongan|loker|hiring|vacancy|"
                      r"vacancies|rekrut\w*|recruitment|kirim cv|send your cv|wanted|"
                      r"boleh melamar|(?:perlu|cari) (?:tenaga|karyawan|pegawai))(?!\w)")
# Vacancy posts and announcements say "dibutuhkan operator di PT ...", never "belum kerja".
_NEVER_POSTED = frozenset({"mencari", "belum_memungkinkan"})
UNSURE_NOTE = ("pesan dari alumni yang tidak dapat digolongkan dengan yakin ({why}); "
               "periksa apakah berisi status")


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
    sure: bool = True  # when ignored: surely not the sender's own status


def combine(text: str, reading: Reading | list[Hit], probs, classes: tuple[str, ...],
            statuses: frozenset[str], thresholds, review_below: float,
            rs: RuleSet | None = None) -> Verdict:
    """One reply's verdict (_combine), then the guards that send an uncertain one to
    staff: a status told beside an earlier state while the model also weighs another
    status; a status read only from words the rules set aside (a question about work,
    one thing for sale); a status while the model weighs the non-status kinds, or is not
    sure enough of it; and a message ignored as surely no status while the model gives
    the statuses some weight."""
    rs = rs or load_rules()
    if not isinstance(reading, Reading):
        reading = Reading(list(reading), False)
    v = _combine(text, reading, probs, classes, statuses, thresholds, review_below, rs)
    p_of = dict(zip(classes, map(float, probs)))
    if v.ignore_reason and v.sure:
        v.sure = sum(q for c, q in p_of.items() if c in statuses) < SURE_STATUS_MASS
    elif v.status and not v.review:
        rival = max(((q, c) for c, q in p_of.items() if c in statuses and c != v.status),
                    default=(0.0, None))
        if rival[0] >= PAST_RIVAL and _says(reading.norm or normalize(text, rs)[0], rs.past_words):
            _ask_staff(v, f"menyebut keadaan dulu dan kini; model juga menimbang "
                          f"{rival[1]} ({rival[0]:.2f})")
    if not v.status:
        return v
    if not v.review and reading.unreal:
        # Only an earlier state or a case supposed or wished ("dulu sy sempat jd kasir, tp
        # itu 2019", "someday I want to open a coffee shop"): no state of now is told.
        _ask_staff(v, "hanya menyebut keadaan dulu, andaian, atau keinginan; keadaan kini "
                      "belum jelas", propose=False)
        return v
    doubt = _not_status_mass(p_of, statuses)
    if reading.set_aside and not reading.hits:
        # The rules found the status words only in a question about work or an item for
        # sale; the model reading a status from the same words is no answer.
        _ask_staff(v, f"model menduga {v.status}, tetapi kata statusnya ada dalam pertanyaan "
                      f"atau iklan jual barang", propose=False)
    elif doubt >= NOT_STATUS_DOUBT and not _bare_answer(reading.norm or text, rs):
        _ask_staff(v, f"model menduga {v.status}, tetapi pesan juga tampak seperti info, "
                      f"pertanyaan atau kabar orang lain ({doubt:.2f})", propose=False)
    elif not v.review and p_of.get(v.status, 0.0) < OUTRIGHT_MIN:
        _ask_staff(v, f"model kurang yakin akan {v.status} ({p_of.get(v.status, 0.0):.2f})")
    elif not v.review:
        risk = status_doubt(doubt_features(p_of, v.status, statuses, reading.norm or text))
        if risk >= DOUBT_MAX:
            _ask_staff(v, f"model menduga {v.status}, tetapi ragu apakah pesan ini memang "
                          f"status pengirim sendiri (ragu {risk:.2f})", propose=False)
    return v


def _bare_answer(norm: str, rs: RuleSet) -> bool:
    """Whether the reply is one of the form's answers and nothing else ("Kuliah", "2.
    Status: bekerja" read as "bekerja"): said so, it is the sender's answer, however
    often the model saw the same word in a staff prompt listing the options."""
    return " ".join(w for w in (core_of(t) for t in norm.split(" ")) if w) in rs.form_answers


def doubt_features(p_of: dict[str, float], status: str, statuses: frozenset[str],
                   norm: str) -> tuple[float, float, float, float]:
    """What DOUBT_WEIGHTS weigh (see there), for `status` given to a reply whose
    normalised text is `norm`."""
    lead = p_of.get(status, 0.0) - max((q for c, q in p_of.items() if c != status), default=0.0)
    return (math.log(max(_not_status_mass(p_of, statuses), 1e-6)),
            math.log(max(p_of.get(status, 0.0), 1e-6)),
            lead, math.log(1 + len(norm.split())))


def status_doubt(features: tuple[float, ...]) -> float:
    """How likely (0-1) the status is not the sender's right status (DOUBT_WEIGHTS)."""
    z = DOUBT_BIAS + sum(w * f for w, f in zip(DOUBT_WEIGHTS, features))
    return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def _ask_staff(v: Verdict, note: str, propose: bool = True) -> None:
    """Send `v` to review with `note`; `propose=False`: without the status it had."""
    v.review = True
    v.notes = [*(v.notes or []), note]
    if not propose:
        v.status, v.employer = None, None


def _not_status_mass(p_of: dict[str, float], statuses: frozenset[str]) -> float:
    """What the model gives the non-status kinds together (posts, questions, chit-chat,
    someone else's news; a refusal not counted)."""
    return sum(q for c, q in p_of.items() if c not in statuses and c != REFUSAL)


_OPENING_WORD = re.compile(r"\s*([^\W\d_]{3,})\b[\s,:.-]*")


def _without_own_name(text: str, sender: str, rs: RuleSet) -> str:
    """`text` without its first word when that word, capitalised, is one of the sender's
    names and no word for a person ("Ibu saya ..." from "Ibu Sari" stays as it is)."""
    m = _OPENING_WORD.match(text)
    if not m or m.end() >= len(text) or not m.group(1)[0].isupper():
        return text
    word = m.group(1).casefold()
    if word in rs.people or word in rs.name_titles or word in rs.self_words:
        return text
    return text[m.end():] if word in name_tokens(sender) else text


def _says(norm: str, words: frozenset[str]) -> bool:
    """Whether normalised text holds one of `words` (aturan_wa.toml's past_words...)."""
    return any(core_of(t) in words for t in norm.split(" "))


def _combine(text: str, reading: Reading, probs, classes: tuple[str, ...],
             statuses: frozenset[str], thresholds, review_below: float,
             rs: RuleSet) -> Verdict:
    """One reply's verdict from its rule reading and the model's probabilities.

    The rules lead where they found one status of the sender's own with confidence;
    the model decides whether a reply the rules cannot place is a status at all, and
    sends a rule's status to review where it names another status with confidence or
    reads the message as a post to the group. Where rules name several statuses, the
    reply goes to review. A refusal goes to review without a status. A reply neither
    can place goes to review when it mentions work, business, study or job hunting; only
    then is it ignored, marked unsure unless the model is sure it is not a status.
    """
    hits = reading.hits
    top = int(np.argmax(probs))
    label, p = classes[top], float(probs[top])
    p_of = dict(zip(classes, map(float, probs)))
    refusal = [h for h in hits if h.rule.status == REFUSAL]
    hits = [h for h in hits if h.rule.status in statuses]
    rule_statuses = sorted({h.rule.status for h in hits})
    if refusal or (label == REFUSAL and p >= thresholds.ignore):
        return Verdict(review=True, rule=refusal[0].rule.id if refusal else RULE_MODEL,
                       confidence=round(p_of.get(REFUSAL, p), 3), notes=[REFUSAL_NOTE])
    if reading.others and not rule_statuses:
        # Only someone else's status in the rules ("adik saya sudah kerja", "saya
        # kakaknya"): not the sender's, whatever the model reads.
        if reading.self_mention and rs.work_words.search(reading.own_norm):
            return Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                           notes=["menyebut status orang lain, dan pengirim juga menyebut "
                                  "dirinya: periksa status pengirim"])
        # Unsure (staff look when the sender is an alumnus) when the sender also speaks of
        # themself ("adik saya masih cari, saya sendiri sudah di Morosi") or the model
        # reads a status.
        # So too when the clauses not about someone else speak of work or hold a key
        # word ("Jadi pengepul kakao di kampung, modal sendiri. Teman sy ... jd penyuluh"),
        # or the someone else is only guessed from an unknown word ("Honestly still ...").
        own_work = reading.keywords or (
            bool(reading.own_norm) and rs.work_words.search(reading.own_norm))
        return Verdict(ignore_reason=IGNORE_OTHERS,
                       sure=not (reading.self_mention or own_work or reading.guessed_other
                                 or (label in statuses and p >= thresholds.accept)))
    doubt = _not_status_mass(p_of, statuses)
    if (label in statuses and p >= thresholds.accept and not reading.self_mention
            and (doubt >= POSTED_DOUBT
                 or label not in _NEVER_POSTED and _VACANCY.search(reading.norm or ""))):
        # Nobody speaks of themself and the model half reads a post to the group, a
        # question or someone else's news ("Hotel di Kendari cari housekeeping"): staff
        # look, no status proposed. A vacancy word beside "still looking" is the sender
        # asking for one ("MASIH NGANGGUR PAK, TOLONG INFO LOKER LAS").
        return Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                       notes=[f"model menduga {label} ({p:.2f}), tetapi pesan juga tampak "
                              f"seperti info, pertanyaan atau kabar orang lain ({doubt:.2f})"])
    if label in statuses and p >= thresholds.accept:
        # The model is sure of a status: trained on replies of several independent
        # writers, it reads wording the rules never saw, other people's status and
        # past-and-present better than the rules; a sure rule naming another status
        # sends the reply to review unless the model is surer still.
        own = [h for h in hits if h.rule.status == label]
        lead = max(own, key=lambda h: h.rule.confidence) if own else None
        v = Verdict(status=label, rule=lead.rule.id if lead else RULE_MODEL,
                    confidence=round(p, 3), employer=_employer_of(hits, label, text, rs),
                    notes=[])
        against = [h for h in hits if h.rule.status != label
                   and h.rule.confidence >= review_below]
        if lead and lead.rule.confidence < review_below:
            # A rule its authors marked doubtful ("lolos seleksi", "magang"): staff look.
            v.review = True
            v.notes.append(f"keyakinan rendah ({lead.rule.confidence:.2f}): {lead.rule.description}")
        elif len(rule_statuses) > 1 and (p < STRONG or _says(reading.norm, rs.both_words)):
            # Two statuses held at once ("kerja di X, kuliah juga"): the survey takes one,
            # so staff choose even when the model is sure of one of them.
            v.review = True
            v.notes.append(f"aturan menyebut beberapa status ({', '.join(rule_statuses)}); "
                           f"model menyebut {label} ({p:.2f})")
        elif against and not own and p < STRONG:
            v.review = True
            v.notes.append(f"model menyebut {label} ({p:.2f}), aturan {against[0].rule.id} "
                           f"menyebut {against[0].rule.status}")
        return v
    if len(rule_statuses) == 1:
        status = rule_statuses[0]
        lead = max(hits, key=lambda h: h.rule.confidence)
        employer = _employer_of(hits, status, text, rs)
        if not reading.self_mention and status not in _NEVER_POSTED and (
                (label in _FORWARDED and p >= thresholds.ignore)
                or _VACANCY.search(reading.norm)):
            # Reads as a vacancy or an announcement for the group ("Dibutuhkan operator
            # di PT ..."): ignored when the model reads it so and it names a vacancy, or
            # the model is sure; otherwise staff look.
            if label in _FORWARDED and (p >= SURE or _VACANCY.search(reading.norm)):
                return Verdict(ignore_reason=_IGNORE_BY_LABEL[label], sure=True)
            return Verdict(rule=lead.rule.id, confidence=round(p, 3), review=True,
                           notes=[f"aturan {lead.rule.id} menyebut {status}, tetapi pesan "
                                  "tampak seperti info lowongan atau pengumuman"])
        v = Verdict(status=status, rule=lead.rule.id,
                    confidence=round(max(lead.rule.confidence, p_of.get(status, 0.0)), 3),
                    employer=employer, notes=[])
        if lead.rule.confidence < review_below:
            v.review = True
            v.notes.append(f"keyakinan rendah ({lead.rule.confidence:.2f}): {lead.rule.description}")
        if label in statuses and label != status and p >= thresholds.accept:
            v.review = True
            v.notes.append(f"aturan menyebut {status}, model menyebut {label} ({p:.2f})")
        elif label not in statuses and label != REFUSAL and (
                p >= NOT_STATUS_OVER_RULE
                or p >= thresholds.accept and not reading.self_mention):
            # "Bagi yang sudah kerja ...", a question about work, "saya jual motor
            # bekas": no status proposed.
            v.status, v.review = None, True
            v.notes.append(f"aturan {lead.rule.id} menyebut {status}, tetapi model membacanya "
                           f"sebagai {label} ({p:.2f})")
        return v
    if len(rule_statuses) > 1:
        if (label not in statuses and label != REFUSAL and p >= thresholds.ignore
                and not reading.self_mention):
            # "Mohon kabarnya: sudah bekerja, wirausaha, atau masih mencari?": the
            # statuses listed as options in a question or an announcement.
            return Verdict(ignore_reason=_IGNORE_BY_LABEL.get(label, IGNORE_CHAT), sure=p >= SURE)
        v = Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                    notes=[f"aturan menyebut beberapa status ({', '.join(rule_statuses)})"])
        if label in rule_statuses:
            v.status = label
            v.employer = _employer_of(hits, label, text, rs)
            v.notes.append(f"model menyebut {label} ({p:.2f})")
        return v
    if label in statuses and p >= thresholds.review:
        # The model alone, below accept (a sure one was taken above): staff look.
        if not reading.self_mention:
            # No rule and no word of the sender about themself: staff pick the status,
            # if any ("Berita: ... serap 5.000 tenaga kerja").
            return Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                           notes=[f"model menduga {label} ({p:.2f}), tetapi tidak yakin"])
        return Verdict(status=label, rule=RULE_MODEL, confidence=round(p, 3),
                       employer=_employer_of([], label, text, rs), review=True,
                       notes=[f"model kurang yakin ({p:.2f})"])
    if label not in statuses and label != REFUSAL and p >= thresholds.ignore:
        # Sure only without any word about work, business, study or health: a status
        # worded as the model never saw is asked about, not dropped.
        return Verdict(ignore_reason=_IGNORE_BY_LABEL.get(label, IGNORE_CHAT),
                       sure=(p >= SURE and not reading.keywords
                             and not rs.work_words.search(reading.norm or "")))
    norm = reading.norm or normalize(text, rs)[0]
    if label in statuses or rs.work_words.search(norm):
        return Verdict(rule=RULE_MODEL, confidence=round(p, 3), review=True,
                       notes=["menyebut kerja, usaha, sekolah atau mencari kerja, tetapi tidak "
                              "dapat digolongkan dengan yakin"])
    return Verdict(ignore_reason=_IGNORE_BY_LABEL.get(label, IGNORE_CHAT), sure=False)


def _employer_of(hits: list[Hit], status: str, text: str, rs: RuleSet) -> str | None:
    found = next((h.employer for h in sorted(hits, key=lambda h: -h.rule.confidence)
                  if h.employer and h.rule.status == status), None)
    if found or status != "bekerja":
        return found
    return _employer_after_di(text, rs)


def _employer_after_di(text: str, rs: RuleSet) -> str | None:
    """A job told by its role ("sekarang kasir di Indomaret Poasia"): the name after the
    first "di"/"pada" that is neither a place nor a filler word."""
    norm, tokens, _ = normalized(text) if rs is load_rules() else normalize(text, rs)
    norm_tokens = norm.split(" ")
    for i, tok in enumerate(norm_tokens[:-1]):
        if core_of(tok) in ("di", "pada") and not tok.endswith((",", ".")):
            name = employer_at(tokens, norm_tokens, i + 1, rs)
            if name and (name[0].isupper() or name.split()[0].casefold() in rs.legal_prefixes):
                return name
    return None


def keep_known_senders(out: pd.DataFrame, known) -> pd.DataFrame:
    """The no-silent-drop rule: a message ignored without being surely a non-status
    (column `sure` False), from a sender known as an alumnus or quoting a respondent
    code (`known`, a boolean per row), goes to review with its reason instead."""
    known = pd.Series(known, index=out.index).fillna(False).astype(bool)
    lift = out["ignored"] & ~out["sure"] & known
    if lift.any():
        out = out.copy()
        out.loc[lift, "note"] = [UNSURE_NOTE.format(why=why) for why in out.loc[lift, "ignore_reason"]]
        out.loc[lift, "review"] = True
        out.loc[lift, "ignored"] = False
        out.loc[lift, "ignore_reason"] = None
        out.loc[lift, "rule"] = RULE_MODEL
        counts = dict(out.attrs.get("counts", {}))
        if counts:
            counts["diabaikan"] -= int(lift.sum())
            counts["periksa"] += int(lift.sum())
            out.attrs["counts"] = counts
            out.attrs["ignored"] = counts["diabaikan"]
    return out


def classify_messages(messages: pd.DataFrame, settings=None,
                      learned: dict[str, str] | None = None) -> pd.DataFrame:
    """Every message with its survey status, or why it has none.

    `learned` maps phrase keys (model.phrase_key) to what staff decided for that
    phrasing (a status code, or NOT_STATUS); such a reply is not asked again.
    Added columns: status (code or None), employer, rule (id or None), confidence,
    review (bool: staff must check), note (why, in Indonesian), ignored (bool),
    ignore_reason, sure (bool: an ignored message is surely no status of the sender's;
    see keep_known_senders). `attrs["counts"]` holds pesan / berstatus / diabaikan / periksa, and
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
    sure = [True] * n

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

    # Read without what wraps the answer (greetings, mentions, thanks: reply_core). A reply
    # then opening with the sender's own name ("Jumriati skrg kerja di Alfamart", from
    # Jumriati) is the sender answering, not news of someone named: read without the name.
    rs = load_rules()
    raw = [str(t) for t in cols["text"]]
    texts = [_without_own_name(reply_core(t, rs), str(s or ""), rs)
             for t, s in zip(raw, cols["sender"])]
    if learned and judge:
        from kebekerjaan.steps.answers.model import phrase_key

        rest = []
        for i in judge:
            decided = learned.get(phrase_key(raw[i]))
            if decided is None:
                rest.append(i)
            elif decided == NOT_STATUS:
                ignore_reason[i] = IGNORE_STAFF_DECIDED
            else:
                status[i], rule_ids[i], confidence[i] = decided, RULE_STAFF, 1.0
                employer[i] = _employer_of(rule_hits(texts[i]).hits, decided, texts[i], rs)
        judge = rest
    if judge:
        from kebekerjaan.rules.questionnaire import load_questionnaire
        from kebekerjaan.steps.answers.model import load_model

        model = load_model()
        statuses = frozenset(load_questionnaire().statuses)
        # Repeated short replies ("belum kerja", "mantap") are read by the model once.
        unique = list(dict.fromkeys(texts[i] for i in judge))
        verdicts = {}
        # In blocks well under rule_hits' cache: the model's features and combine read each
        # text again, and a whole big chat at once would push every reading out before then.
        for start in range(0, len(unique), READ_BLOCK):
            block = unique[start:start + READ_BLOCK]
            for text, p in zip(block, model.predict_proba(block)):
                verdicts[text] = combine(text, rule_hits(text), p, model.classes, statuses,
                                         model.thresholds, review_below, rs)
        for i in judge:
            v = verdicts[texts[i]]
            status[i], rule_ids[i], confidence[i] = v.status, v.rule, v.confidence
            employer[i], review[i], ignore_reason[i] = v.employer, v.review, v.ignore_reason
            sure[i] = v.sure
            notes[i].extend(v.notes or [])

    out = messages.copy()
    out["status"] = pd.Series(status, index=out.index, dtype=object)
    out["employer"] = pd.Series(employer, index=out.index, dtype=object)
    out["rule"] = pd.Series(rule_ids, index=out.index, dtype=object)
    out["confidence"] = pd.Series(confidence, index=out.index, dtype="float64")
    out["ignored"] = pd.Series([r is not None for r in ignore_reason], index=out.index)
    out["ignore_reason"] = pd.Series(ignore_reason, index=out.index, dtype=object)
    out["sure"] = pd.Series(sure, index=out.index, dtype=bool)
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
    if not sub["who"].duplicated().any():
        return  # no sender gave two replies with a status: nothing to compare
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
