"""The learned part of reading WhatsApp replies: character n-grams and word n-grams,
TF-IDF, a multinomial logistic regression, probabilities calibrated by temperature.

Trained by scripts/train_wa_model.py on data/wa_corpus.csv and shipped as plain
arrays in data/wa_model.npz (loaded with allow_pickle=False: no code runs on load).
Loaded lazily, the first time chat messages are classified, so importing the package
stays cheap.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

MODEL_FILE = "data/wa_model.npz"
CORPUS_FILE = "data/wa_corpus.csv"
# Labels that are not a survey status (the status labels are the questionnaire's codes).
NON_STATUS = ("menolak", "obrolan", "pertanyaan", "lowongan", "pengumuman", "orang_lain")

_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_DIGITS = re.compile(r"\d+")
_REPEAT = re.compile(r"(\w)\1{2,}")  # "kerjaaa" -> "kerja"
_WORD = re.compile(r"(?u)\b\w+\b")


def model_text(text: str) -> str:
    """The text as the model reads it: lower case, phone spellings made standard,
    numbers and links reduced to a placeholder, drawn-out letters shortened."""
    from kebekerjaan.steps.answers.wa_rules import load_rules

    rs = load_rules()
    text = _URL.sub(" tautan ", str(text).casefold())
    text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1", text)
    out = []
    for tok in text.split():
        core = tok.strip(".,;:!?\"'()[]{}<>*~_")
        repl = rs.abbreviations.get(core)
        out.append(tok.replace(core, repl, 1) if repl and core else tok)
    return " ".join(out)


def word_text(text: str) -> str:
    """The text the model's word n-grams are taken from: the rules' normalisation
    (English phrases and misspellings rewritten), with the words of someone else's
    clauses and of earlier states marked (wa_rules.Reading.marked)."""
    from kebekerjaan.steps.answers.wa_rules import rule_hits

    reading = rule_hits(str(text))
    return reading.marked or reading.norm


def phrase_key(text: str) -> str:
    """Exact-phrase identity of a reply for staff decisions: the model text without
    punctuation, emoji, the greeting words people add ("pak", "kak") or spoken
    particles ("mi", "ji")."""
    from kebekerjaan.steps.answers.wa_rules import load_rules

    skip = _ADDRESS | load_rules().particles
    words = _WORD.findall(model_text(text))
    return " ".join(w for w in words if w not in skip)


_ADDRESS = frozenset({"pak", "bu", "kak", "min", "bapak", "ibu", "kakak", "bang", "mas", "mbak",
                      "admin", "pa", "ka", "kk", "bro", "sis"})


# Signals beside the n-grams, the same in training and use: which statuses the
# hand-written rules find, and the shape of the message.
SHAPE_FEATURES = ("rule_bekerja", "rule_wirausaha", "rule_mencari", "rule_belum_memungkinkan",
                  "rule_studi", "rule_menolak", "rule_pertanyaan", "ends_with_question",
                  "has_question", "shouting", "long", "mentions_work", "many_statuses",
                  "about_others", "self_mention", "past_and_present", "kw_bekerja",
                  "kw_wirausaha", "kw_mencari", "kw_belum_memungkinkan", "kw_studi")


def feature_names() -> tuple[str, ...]:
    """SHAPE_FEATURES, then the [signals] of data/aturan_wa.toml."""
    from kebekerjaan.steps.answers.wa_rules import load_rules

    return SHAPE_FEATURES + tuple(f"signal_{name}" for name, _ in load_rules().signals)


def shape_features(texts: list[str]):
    """Sparse matrix (texts x feature_names()) of 0/1 signals."""
    from scipy import sparse

    from kebekerjaan.steps.answers.wa_rules import load_rules, rule_hits

    rs = load_rules()
    names = feature_names()
    rows = np.zeros((len(texts), len(names)))
    col = {name: j for j, name in enumerate(names)}
    for i, text in enumerate(texts):
        text = str(text)
        reading = rule_hits(text)
        hits, question, norm = reading.hits, reading.question, reading.norm
        for name, pattern in rs.signals:
            rows[i, col[f"signal_{name}"]] = bool(pattern.search(norm))
        for h in hits:
            key = f"rule_{h.rule.status}"
            if key in col:
                rows[i, col[key]] = 1.0
        letters = [c for c in text if c.isalpha()]
        rows[i, col["rule_pertanyaan"]] = question
        rows[i, col["ends_with_question"]] = text.rstrip(" .!🙏😊").endswith("?")
        rows[i, col["has_question"]] = "?" in text
        rows[i, col["shouting"]] = (len(letters) > 8
                                    and sum(c.isupper() for c in letters) / len(letters) > 0.6)
        rows[i, col["long"]] = len(text.split()) > 14
        rows[i, col["mentions_work"]] = bool(rs.work_words.search(norm))
        # "sudah bekerja, wirausaha, atau masih mencari?": a list of options, not a reply.
        rows[i, col["many_statuses"]] = len({h.rule.status for h in hits}) > 1
        rows[i, col["about_others"]] = bool(reading.others) and not hits
        rows[i, col["self_mention"]] = reading.self_mention
        rows[i, col["past_and_present"]] = bool(reading.past)
        for status, count in reading.keywords.items():
            rows[i, col[f"kw_{status}"]] = min(count, 3) / 3
    return sparse.csr_matrix(rows)


@dataclass(frozen=True)
class Thresholds:
    accept: float  # top label a status at or above: that status, no review
    review: float  # top label a status at or above (below accept): that status, reviewed
    ignore: float  # top label not a status at or above: not an answer
    agree: float  # a sure rule names the model's top status and it is at least this likely


@dataclass
class WaModel:
    classes: tuple[str, ...]
    char_vocab: dict[str, int]
    word_vocab: dict[str, int]
    char_range: tuple[int, int]
    word_range: tuple[int, int]
    idf: np.ndarray
    coef: np.ndarray  # (classes, features)
    intercept: np.ndarray
    temperature: float
    thresholds: Thresholds
    meta: dict
    # Vocabulary columns of each word's character n-grams: words repeat across a chat,
    # so each is cut into n-grams once (char_wb n-grams never cross a word boundary).
    _word_grams: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False,
                                                    compare=False)

    def features(self, texts: list[str]):
        from scipy import sparse

        return sparse.hstack([self._ngrams(texts), shape_features(texts)], format="csr")

    def _ngrams(self, texts: list[str]):
        """TF-IDF of character and word n-grams as scikit-learn's TfidfVectorizer computed
        them in training (sublinear tf, each block L2-normalised), without scikit-learn."""
        from scipy import sparse

        n_char = len(self.char_vocab)
        inputs = ([model_text(t) for t in texts], [word_text(t) for t in texts])
        blocks = []
        for cols_of, width, norms in ((self._char_columns, n_char, inputs[0]),
                                      (self._word_columns, len(self.word_vocab), inputs[1])):
            rows: list[int] = []
            cols: list[int] = []
            for r, norm in enumerate(norms):
                found = cols_of(norm)
                cols.extend(found)
                rows.extend([r] * len(found))
            counts = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)),
                                       shape=(len(texts), width))
            counts.sum_duplicates()
            blocks.append(counts)
        x = sparse.hstack(blocks, format="csr")
        x.data = (1.0 + np.log(x.data)) * self.idf[x.indices]
        out = []
        for block in (x[:, :n_char], x[:, n_char:]):
            lengths = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
            lengths[lengths == 0] = 1.0
            out.append(sparse.diags(1.0 / lengths) @ block)
        return sparse.hstack(out, format="csr")

    def _char_columns(self, norm: str) -> list[int]:
        out: list[int] = []
        cache = self._word_grams
        for w in norm.split():
            found = cache.get(w)
            if found is None:
                vocab = self.char_vocab
                found = tuple(j for j in map(vocab.get, char_wb_ngrams(w, *self.char_range))
                              if j is not None)
                if len(cache) < 200_000:
                    cache[w] = found
            out.extend(found)
        return out

    def _word_columns(self, norm: str) -> list[int]:
        vocab = self.word_vocab
        return [j for j in map(vocab.get, word_ngrams(norm, *self.word_range)) if j is not None]

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)))
        logits = self.features(texts) @ self.coef.T + self.intercept
        return softmax(np.asarray(logits) / self.temperature)


_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w+\b")


def char_wb_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Character n-grams inside word boundaries, as scikit-learn's analyzer="char_wb"."""
    out: list[str] = []
    for w in _SPACES.sub(" ", text).split():
        w = f" {w} "
        size = len(w)
        out += [w[i:i + n] for n in range(lo, min(hi, size - 1) + 1) for i in range(size - n + 1)]
        if hi >= size:
            out.append(w)  # n reached the padded word's length: the word itself, once
    return out


def word_ngrams(text: str, lo: int, hi: int) -> list[str]:
    """Word n-grams with token pattern \\b\\w+\\b, as scikit-learn's analyzer="word"."""
    tokens = _TOKEN.findall(text)
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def save_model(path, *, classes, char_vocab, word_vocab, char_range, word_range, idf, coef,
               intercept, temperature, thresholds: Thresholds, meta: dict) -> None:
    def ordered(vocab: dict[str, int]) -> np.ndarray:
        return np.array(sorted(vocab, key=vocab.get), dtype=str)

    np.savez_compressed(
        path,
        classes=np.array(classes, dtype=str),
        char_vocab=ordered(char_vocab), word_vocab=ordered(word_vocab),
        ranges=np.array([*char_range, *word_range], dtype=np.int64),
        idf=idf.astype(np.float32), coef=coef.astype(np.float32),
        intercept=intercept.astype(np.float32),
        scalars=np.array([temperature, thresholds.accept, thresholds.review, thresholds.ignore,
                          thresholds.agree]),
        meta=np.array(json.dumps(meta, ensure_ascii=False)),
    )


def load_model_file(path) -> WaModel:
    with np.load(path, allow_pickle=False) as z:
        ranges = [int(v) for v in z["ranges"]]
        temperature, accept, review, ignore, agree = (float(v) for v in z["scalars"])
        return WaModel(
            classes=tuple(str(c) for c in z["classes"]),
            char_vocab={str(t): i for i, t in enumerate(z["char_vocab"])},
            word_vocab={str(t): i for i, t in enumerate(z["word_vocab"])},
            char_range=(ranges[0], ranges[1]), word_range=(ranges[2], ranges[3]),
            idf=z["idf"].astype(np.float64), coef=z["coef"].astype(np.float64),
            intercept=z["intercept"].astype(np.float64), temperature=temperature,
            thresholds=Thresholds(accept, review, ignore, agree),
            meta=json.loads(str(z["meta"])),
        )


@cache
def load_model() -> WaModel:
    """The shipped model, read once."""
    with resources.as_file(resources.files("kebekerjaan").joinpath(MODEL_FILE)) as path:
        model = load_model_file(path)
    if model.meta.get("features") != list(feature_names()):
        from kebekerjaan.core.errors import KebekerjaanError

        raise KebekerjaanError(
            "Model pesan WhatsApp tidak cocok dengan tanda [signals] di aturan_wa.toml; "
            "latih ulang dengan scripts/train_wa_model.py.")
    return model


def load_corpus():
    """The labelled corpus shipped with the package (text, label, family, split)."""
    import pandas as pd

    with resources.files("kebekerjaan").joinpath(CORPUS_FILE).open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


REFUSAL = "menolak"


def outcomes(labels, verdicts, statuses, doubtful=None) -> dict:
    """How verdicts fare against true labels (issue 15; scripts/bench_wa.py says it in full).

    Each status reply is right (its status, no review), review, dropped (ignored) or
    wrong (another status, no review); a `doubtful` one sent to review counts as right.
    A refusal is handled when sent to review with no status, lost when ignored or given a
    status. A non-status message is given a status when any status is set on it.
    Shares (right, review, dropped, wrong) are of status replies; review_all of all.
    """
    doubtful = doubtful if doubtful is not None else [0] * len(labels)
    n = {"right": 0, "review": 0, "dropped": 0, "wrong": 0}
    n_status = n_other = refusals = handled = lost = false_status = reviewed = 0
    for label, v, doubt in zip(labels, verdicts, doubtful):
        reviewed += bool(v.review)
        if label in statuses:
            n_status += 1
            if v.review:
                n["right" if doubt else "review"] += 1
            elif v.status == label:
                n["right"] += 1
            elif v.status is None:
                n["dropped"] += 1
            else:
                n["wrong"] += 1
        elif label == REFUSAL:
            refusals += 1
            if v.review and v.status is None:
                handled += 1
            else:
                lost += 1
        else:
            n_other += 1
            false_status += v.status is not None
    out = {k: v / max(n_status, 1) for k, v in n.items()}
    out.update({f"{k}_n": v for k, v in n.items()})
    out.update(n_status=n_status, n_other=n_other, refusals=refusals,
               refusals_handled=handled, refusals_lost=lost, false_status_n=false_status,
               false_status=false_status / max(n_other, 1),
               review_all=reviewed / max(len(labels), 1))
    return out
