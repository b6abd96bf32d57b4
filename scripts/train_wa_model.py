"""Train the WhatsApp reply model on the training split of data/wa_corpus.csv and the
replies of every independent writer (scripts/wa_training/wa_train_*.csv, issue 15:
varied wording the corpus templates lack).

Usage:
    python scripts/train_wa_model.py [--workspace PATH]

Writes src/kebekerjaan/data/wa_model.npz (plain arrays, no pickle); the same inputs give
the same file (lbfgs, no random state). The held-out split ("uji") and the blind sets
are never read here: the temperature that calibrates the probabilities
and the accept/review/ignore thresholds are chosen on out-of-fold predictions of the
training split (folds by template family), then scripts/bench_wa.py measures the
result on the held-out split. With --workspace, the staff decisions stored in that
workspace (table wa_labels) are added to the training replies.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sqlite3
import sys
import zlib
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from kebekerjaan.core.config import load_settings
from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.classify import NOT_STATUS, combine, load_rules
from kebekerjaan.steps.answers.model import (
    MODEL_FILE,
    Thresholds,
    WaModel,
    feature_names,
    load_corpus,
    model_text,
    outcomes,
    save_model,
    shape_features,
    softmax,
    word_text,
)
from kebekerjaan.steps.answers.wa_rules import read
from kebekerjaan.steps.answers.wa_ruleset import reply_core

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "kebekerjaan" / MODEL_FILE
# One file per independent writer; a new file here is a new writer, trained on as it comes.
WRITERS = {p.stem.removeprefix("wa_train_"): p
           for p in sorted((ROOT / "scripts" / "wa_training").glob("wa_train_*.csv"))}
CHAR_RANGE, WORD_RANGE = (2, 5), (1, 2)
C = 32.0
FOLDS = 5
# Limits the thresholds must meet on the out-of-fold predictions; within them, the most
# replies right outright, then the fewest reviewed.
MAX_WRONG, MAX_FALSE_STATUS, MAX_DROPPED = 0.005, 0.005, 0.005
# In a group chat alumni often say who they are around the answer ("Rahmat, Las angk 2",
# "(TIK 2023)"). The writers wrote such introductions mostly in others' news ("Rahmat alumni
# Las angkatan 3 sudah diterima ..."), so the model took them for someone else's status.
# A copy of this share of the replies, of every label, is trained on with an introduction
# added (each reply's own copy chosen from its text, so every run makes the same ones).
INTRO_SHARE = 0.2
INTRO_KEJURUAN = ("Las", "TIK", "Otomotif", "Garmen", "Tata Boga", "Listrik", "Elektronika",
                  "Refrigerasi", "Bangunan", "Barista", "Menjahit", "Kecantikan", "Tata Rias",
                  "Multimedia", "Desain Grafis", "Operator Komputer", "Teknisi AC", "Processing",
                  "Perikanan", "Pertanian", "Bisnis Manajemen", "Housekeeping", "Welding")
INTRO_SHAPES = ("{name}, {kej} angkatan {n}", "({kej} angk {n})", "- {name} ({kej} {year})",
                "{name} / {kej} / gel {n}", "alumni {kej} {year}", "{NAME} {KEJ} {n}",
                "{kej} {year}", "{name} {kej} gelombang {n}", "[{kej} - {year}]",
                "{name} alumni {kej} thn {year}", "{name} ({kej})", "{kej} batch {n}")


def vectorizers():
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, lowercase=False,
                            sublinear_tf=True, min_df=2)
    words = TfidfVectorizer(analyzer="word", ngram_range=WORD_RANGE, lowercase=False,
                            sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b")
    return chars, words


def fit(texts, shapes, labels: list[str]):
    """texts: (char inputs, word inputs), one pair per reply."""
    from scipy import sparse

    chars, words = vectorizers()
    x = sparse.hstack([chars.fit_transform([c for c, _ in texts]),
                       words.fit_transform([w for _, w in texts]), shapes], format="csr")
    clf = LogisticRegression(C=C, max_iter=5000)
    clf.fit(x, labels)
    return chars, words, clf


def logits(chars, words, clf, texts, shapes):
    from scipy import sparse

    x = sparse.hstack([chars.transform([c for c, _ in texts]),
                       words.transform([w for _, w in texts]), shapes], format="csr")
    return clf.decision_function(x)


def workspace_labels(path: Path) -> list[tuple[str, str]]:
    from kebekerjaan.core.workspace import Workspace

    con = sqlite3.connect(Workspace(Path(path)).store_path)
    try:
        rows = con.execute("SELECT message, label FROM wa_labels").fetchall()
    finally:
        con.close()
    return [(m, "obrolan" if lab == NOT_STATUS else lab) for m, lab in rows if m]


def training_rows(writers=tuple(WRITERS), workspace: Path | None = None):
    """(texts, labels, groups): the corpus's training split, then each writer's replies
    (one group per writer and label, so folds never split a writer's style of a kind)."""
    import pandas as pd

    corpus = load_corpus()
    train = corpus[corpus["split"] == "latih"].reset_index(drop=True)
    raw = train["text"].tolist()
    labels = train["label"].tolist()
    groups = train["family"].tolist()
    held_out = set(corpus.loc[corpus["split"] == "uji", "text"].str.casefold())
    for name in writers:
        frame = pd.read_csv(WRITERS[name], dtype=str, keep_default_na=False)
        # A writer's reply that is also in the held-out split stays out of training.
        frame = frame[~frame["text"].str.casefold().isin(held_out)]
        raw += frame["text"].tolist()
        labels += frame["label"].tolist()
        groups += [f"{name}-{lab}-{i % 4}" for i, lab in enumerate(frame["label"])]
    raw, labels, groups = with_introductions(raw, labels, groups)
    if workspace:
        extra = workspace_labels(workspace)
        raw += [m for m, _ in extra]
        labels += [lab for _, lab in extra]
        groups += [f"staf-{i}" for i in range(len(extra))]
        print(f"keputusan staf ditambahkan: {len(extra)}")
    return raw, labels, groups


def with_introductions(raw: list[str], labels: list[str], groups: list[str]):
    """The replies, then a copy of INTRO_SHARE of them with the sender's introduction
    before or after the answer (INTRO_SHAPES), in the group of the reply it copies."""
    names = sorted(load_rules().given_names)
    out = (list(raw), list(labels), list(groups))
    for text, label, group in zip(raw, labels, groups):
        pick = random.Random(zlib.crc32(text.encode("utf-8")))
        if pick.random() >= INTRO_SHARE:
            continue
        kej, name = pick.choice(INTRO_KEJURUAN), pick.choice(names).capitalize()
        intro = pick.choice(INTRO_SHAPES).format(
            name=name, NAME=name.upper(), kej=kej, KEJ=kej.upper(), n=pick.randint(1, 9),
            year=pick.randint(2019, 2026))
        out[0].append(f"{intro}\n{text}" if pick.random() < 0.4 else f"{text} {intro}")
        out[1].append(label)
        out[2].append(group)
    return out


def write_common_words(raw: list[str]) -> Path:
    from kebekerjaan.steps.answers.wa_ruleset import COMMON_WORDS_FILE, common_words

    path = ROOT / "src" / "kebekerjaan" / COMMON_WORDS_FILE
    words = common_words(raw, load_rules().given_names)
    path.write_text("# Kata yang ditulis dengan huruf kecil di dalam kalimat oleh balasan latih "
                    "(dibuat oleh scripts/train_wa_model.py; jangan disunting).\n"
                    + "\n".join(words) + "\n", encoding="utf-8")
    return path


def inputs_digest(raw: list[str], labels: list[str]) -> str:
    """What the model is built from: the training replies and their labels, and the rules
    (their readings and signals are features) as read, so that a comment or the layout of
    the file changes nothing. Kept in the model so a test can tell a stale one."""
    import hashlib
    import json

    from kebekerjaan.steps.answers.wa_ruleset import rules_table

    return hashlib.sha256(json.dumps([raw, labels, rules_table()], ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()[:16]


def build(raw: list[str], labels: list[str], groups: list[str], quiet: bool = False,
          calibrated=None):
    """The model (WaModel, in memory) and its out-of-fold figures. `calibrated`: a model
    whose temperature and thresholds to keep instead of choosing them on out-of-fold
    predictions (one fit instead of six: bench_wa.py --lowo-quick)."""
    # Read as the import reads them: without greetings, mentions and thanks around the answer.
    rs = load_rules()
    cores = [reply_core(t, rs) for t in raw]
    texts = [(model_text(t), word_text(t)) for t in cores]
    shapes = shape_features(cores)
    y = np.array(labels)
    if calibrated is not None:
        return _parts(texts, shapes, labels, raw, calibrated.temperature,
                      calibrated.thresholds, {})

    # Out-of-fold logits, folds by group (template family, or writer and label).
    oof = None
    for tr, te in GroupKFold(n_splits=FOLDS).split(texts, y, groups):
        chars, words, clf = fit([texts[i] for i in tr], shapes[tr], y[tr].tolist())
        part = logits(chars, words, clf, [texts[i] for i in te], shapes[te])
        if oof is None:
            classes = tuple(clf.classes_)
            oof = np.zeros((len(texts), len(classes)))
        assert tuple(clf.classes_) == classes
        oof[te] = part
    index = np.array([classes.index(v) for v in y])
    temperature = min(np.arange(0.3, 3.01, 0.05),
                      key=lambda t: -np.log(softmax(oof / t)[np.arange(len(y)), index]).mean())
    probs = softmax(oof / temperature)

    statuses = frozenset(load_questionnaire().statuses)
    review_below = load_settings(None).answers.review_below
    readings = [read(t, rs) for t in cores]
    best = None
    # `agree` is kept in the file's format; the reader no longer uses it.
    grid = itertools.product(np.arange(0.4, 0.96, 0.1), np.arange(0.3, 0.91, 0.1),
                             np.arange(0.4, 0.91, 0.1), [0.3])
    for accept, review, ignore, agree in grid:
        if review > accept or agree > review:
            continue
        th = Thresholds(float(accept), float(review), float(ignore), float(agree))
        verdicts = [combine(t, r, p, classes, statuses, th, review_below, rs)
                    for t, r, p in zip(cores, readings, probs)]
        f = outcomes(labels, verdicts, statuses)
        ok = (f["wrong"] <= MAX_WRONG and f["false_status"] <= MAX_FALSE_STATUS
              and f["dropped"] <= MAX_DROPPED)
        key = (ok, round(f["right"] - f["dropped"] - f["wrong"], 4), -f["review"])
        if best is None or key > best[0]:
            best = (key, th, f)
    _, th, f = best
    shown = ("right", "review", "dropped", "wrong", "false_status", "review_all")
    if not quiet:
        print(f"suhu kalibrasi {temperature:.2f}; ambang terima {th.accept:.2f}, tinjau "
              f"{th.review:.2f}, abaikan {th.ignore:.2f}, sepakat dengan aturan {th.agree:.2f}")
        print("lipatan latih (out-of-fold): " + ", ".join(f"{k} {f[k]:.3f}" for k in shown))

    return _parts(texts, shapes, labels, raw, temperature, th,
                  {k: round(f[k], 4) for k in shown})


def _parts(texts, shapes, labels, raw, temperature, th, oof: dict) -> dict:
    chars, words, clf = fit(texts, shapes, labels)
    idf = np.concatenate([chars.idf_, words.idf_])
    return dict(classes=tuple(clf.classes_), char_vocab=chars.vocabulary_,
                word_vocab=words.vocabulary_, char_range=CHAR_RANGE, word_range=WORD_RANGE,
                idf=idf, coef=clf.coef_, intercept=clf.intercept_,
                temperature=float(temperature), thresholds=th,
                meta={"trained_on": len(texts), "inputs": inputs_digest(raw, labels),
                      "C": C, "folds": FOLDS, "features": list(feature_names()),
                      "oof": oof})


def in_memory(parts) -> WaModel:
    """The model as load_model() would read it from the file."""
    vocab = {k: {str(t): int(i) for t, i in parts[k].items()} for k in ("char_vocab", "word_vocab")}
    p = {k: v for k, v in parts.items() if k not in vocab}
    return WaModel(classes=p["classes"], char_vocab=vocab["char_vocab"],
                   word_vocab=vocab["word_vocab"], char_range=p["char_range"],
                   word_range=p["word_range"], idf=np.asarray(p["idf"], dtype=np.float64),
                   coef=np.asarray(p["coef"], dtype=np.float64),
                   intercept=np.asarray(p["intercept"], dtype=np.float64),
                   temperature=p["temperature"], thresholds=p["thresholds"], meta=p["meta"])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", type=Path, default=None)
    args = ap.parse_args(argv)
    raw, labels, groups = training_rows(workspace=args.workspace)
    # The common words first: the rules read with them, and the model reads the rules.
    words = write_common_words(raw)
    load_rules.cache_clear()
    print(f"ditulis: {words.relative_to(ROOT)}")
    parts = build(raw, labels, groups)
    save_model(OUT, **parts)
    n = len(parts["idf"])
    print(f"ditulis: {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1024:.0f} KB, "
          f"{n} fitur, {len(raw)} pesan latih)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
