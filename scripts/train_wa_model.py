"""Train the WhatsApp reply model on the training split of data/wa_corpus.csv.

Usage:
    python scripts/train_wa_model.py [--workspace PATH]

Writes src/kebekerjaan/data/wa_model.npz (plain arrays, no pickle). The held-out
split ("uji") is never read here: the temperature that calibrates the probabilities
and the accept/review/ignore thresholds are chosen on out-of-fold predictions of the
training split (folds by template family), then scripts/bench_wa.py measures the
result on the held-out split. With --workspace, the staff decisions stored in that
workspace (table wa_labels) are added to the training replies.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import sys
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
    feature_names,
    load_corpus,
    model_text,
    outcomes,
    save_model,
    shape_features,
    softmax,
)
from kebekerjaan.steps.answers.wa_rules import read

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "kebekerjaan" / MODEL_FILE
CHAR_RANGE, WORD_RANGE = (2, 5), (1, 2)
C = 8.0
FOLDS = 5
# Limits the thresholds must meet on the out-of-fold predictions; within them, the most
# replies right outright, then the fewest reviewed.
MAX_WRONG, MAX_FALSE_STATUS, MAX_DROPPED = 0.005, 0.005, 0.005


def vectorizers():
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, lowercase=False,
                            sublinear_tf=True, min_df=2)
    words = TfidfVectorizer(analyzer="word", ngram_range=WORD_RANGE, lowercase=False,
                            sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b")
    return chars, words


def fit(texts: list[str], shapes, labels: list[str]):
    from scipy import sparse

    chars, words = vectorizers()
    x = sparse.hstack([chars.fit_transform(texts), words.fit_transform(texts), shapes],
                      format="csr")
    clf = LogisticRegression(C=C, max_iter=5000)
    clf.fit(x, labels)
    return chars, words, clf


def logits(chars, words, clf, texts, shapes):
    from scipy import sparse

    x = sparse.hstack([chars.transform(texts), words.transform(texts), shapes], format="csr")
    return clf.decision_function(x)


def workspace_labels(path: Path) -> list[tuple[str, str]]:
    from kebekerjaan.core.workspace import Workspace

    con = sqlite3.connect(Workspace(Path(path)).store_path)
    try:
        rows = con.execute("SELECT message, label FROM wa_labels").fetchall()
    finally:
        con.close()
    return [(m, "obrolan" if lab == NOT_STATUS else lab) for m, lab in rows if m]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--workspace", type=Path, default=None)
    args = ap.parse_args(argv)
    corpus = load_corpus()
    train = corpus[corpus["split"] == "latih"].reset_index(drop=True)
    raw = train["text"].tolist()
    labels = train["label"].tolist()
    groups = train["family"].tolist()
    if args.workspace:
        extra = workspace_labels(args.workspace)
        raw += [m for m, _ in extra]
        labels += [lab for _, lab in extra]
        groups += [f"staf-{i}" for i in range(len(extra))]
        print(f"keputusan staf ditambahkan: {len(extra)}")
    texts = [model_text(t) for t in raw]
    shapes = shape_features(raw)
    y = np.array(labels)

    # Out-of-fold logits, folds by template family (as the held-out split is made).
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

    rs = load_rules()
    statuses = frozenset(load_questionnaire().statuses)
    review_below = load_settings(None).answers.review_below
    readings = [read(t, rs) for t in raw]
    best = None
    # `agree` is kept in the file's format; the reader no longer uses it.
    grid = itertools.product(np.arange(0.4, 0.96, 0.05), np.arange(0.3, 0.91, 0.05),
                             np.arange(0.4, 0.91, 0.1), [0.3])
    for accept, review, ignore, agree in grid:
        if review > accept or agree > review:
            continue
        th = Thresholds(float(accept), float(review), float(ignore), float(agree))
        verdicts = [combine(t, r, p, classes, statuses, th, review_below, rs)
                    for t, r, p in zip(raw, readings, probs)]
        f = outcomes(labels, verdicts, statuses)
        ok = (f["wrong"] <= MAX_WRONG and f["false_status"] <= MAX_FALSE_STATUS
              and f["dropped"] <= MAX_DROPPED)
        key = (ok, round(f["right"] - f["dropped"] - f["wrong"], 4), -f["review"])
        if best is None or key > best[0]:
            best = (key, th, f)
    _, th, f = best
    print(f"suhu kalibrasi {temperature:.2f}; ambang terima {th.accept:.2f}, tinjau {th.review:.2f}, "
          f"abaikan {th.ignore:.2f}, sepakat dengan aturan {th.agree:.2f}")
    shown = ("right", "review", "dropped", "wrong", "false_status", "review_all")
    print("lipatan latih (out-of-fold): " + ", ".join(f"{k} {f[k]:.3f}" for k in shown))

    chars, words, clf = fit(texts, shapes, labels)
    idf = np.concatenate([chars.idf_, words.idf_])
    save_model(OUT, classes=tuple(clf.classes_), char_vocab=chars.vocabulary_,
               word_vocab=words.vocabulary_, char_range=CHAR_RANGE, word_range=WORD_RANGE,
               idf=idf, coef=clf.coef_, intercept=clf.intercept_, temperature=float(temperature),
               thresholds=th, meta={"trained_on": len(texts), "C": C, "folds": FOLDS,
                                    "features": list(feature_names()),
                                    "oof": {k: round(f[k], 4) for k in shown}})
    print(f"ditulis: {OUT.relative_to(ROOT)} ({OUT.stat().st_size / 1024:.0f} KB, "
          f"{len(idf)} fitur, {len(texts)} pesan latih)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
