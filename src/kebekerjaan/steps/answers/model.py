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
from array import array
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from operator import is_not

import numpy as np

from kebekerjaan.steps.answers.wa_ruleset import REFUSAL

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
    from kebekerjaan.steps.answers.wa_ruleset import load_rules

    return " ".join(_model_text_words(str(text), load_rules().abbreviations))


def _model_text_words(text: str, abbreviations: dict[str, str]) -> list[str]:
    """The words of model_text(text), worked out token by token: a link, a number or a
    drawn-out letter never spans a space, so each token of the text gives the same
    words alone as in its message, and tokens repeat across a chat."""
    from kebekerjaan.steps.answers.wa_ruleset import MEMO_LIMIT, load_rules, memo_of

    known = memo_of(load_rules(), "model_words", (abbreviations,))
    out: list[str] = []
    for tok in text.split():
        words = known.get(tok)
        if words is None:
            words = _token_words(tok, abbreviations)
            if len(known) < MEMO_LIMIT:
                known[tok] = words
        out.extend(words)
    return out


def _token_words(tok: str, abbreviations: dict[str, str]) -> tuple[str, ...]:
    """model_text of one whitespace-free token, as words."""
    text = tok.casefold()
    if not text.isalpha():  # a link needs "http" or "www." (no other letter folds to them)
        if "http" in text or "www." in text:
            text = _URL.sub(" tautan ", text)
        text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1", text)
    out = []
    for tok in text.split():
        core = tok.strip(".,;:!?\"'()[]{}<>*~_")
        repl = abbreviations.get(core)
        out.append(tok.replace(core, repl, 1) if repl and core else tok)
    return tuple(out)


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
    from kebekerjaan.steps.answers.wa_ruleset import load_rules

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
    from kebekerjaan.steps.answers.wa_ruleset import load_rules

    return SHAPE_FEATURES + tuple(f"signal_{name}" for name, _ in load_rules().signals)


def shape_features(texts: list[str]):
    """Sparse matrix (texts x feature_names()) of 0/1 signals."""
    from scipy import sparse

    from kebekerjaan.steps.answers.wa_rules import rule_hits
    from kebekerjaan.steps.answers.wa_ruleset import load_rules

    rs = load_rules()
    names = feature_names()
    col = {name: j for j, name in enumerate(names)}
    signals = [(col[f"signal_{name}"], f"signal_{name}") for name, _ in rs.signals]
    question_at, ends_at, has_at = col["rule_pertanyaan"], col["ends_with_question"], col["has_question"]
    rows = []
    for text in texts:
        text = str(text)
        row = [0.0] * len(names)
        reading = rule_hits(text)
        hits, question, norm = reading.hits, reading.question, reading.norm
        # Each search only where the words its matches need are in the text.
        bits = rs.index.candidates(norm.split(" "))
        for j, name in signals:
            row[j] = rs.index.finds(name, norm, bits)
        for h in hits:
            key = f"rule_{h.rule.status}"
            if key in col:
                row[col[key]] = 1.0
        row[question_at] = question
        row[ends_at] = text.rstrip(" .!🙏😊").endswith("?")
        row[has_at] = "?" in text
        letters = sum(map(str.isalpha, text))
        row[col["shouting"]] = (letters > 8 and sum(map(str.isupper, filter(str.isalpha, text)))
                                / letters > 0.6)
        row[col["long"]] = len(text.split()) > 14
        row[col["mentions_work"]] = rs.index.finds("work_words", norm, bits)
        # "sudah bekerja, wirausaha, atau masih mencari?": a list of options, not a reply.
        row[col["many_statuses"]] = len({h.rule.status for h in hits}) > 1
        row[col["about_others"]] = bool(reading.others) and not hits
        row[col["self_mention"]] = reading.self_mention
        row[col["past_and_present"]] = bool(reading.past)
        for status, count in reading.keywords.items():
            row[col[f"kw_{status}"]] = min(count, 3) / 3
        rows.append(row)
    return sparse.csr_matrix(np.array(rows, dtype=float).reshape(len(texts), len(names)))


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
    # Per token of a message (tokens repeat across a chat): the vocabulary columns of its
    # character n-grams, worked out once (see _ngrams).
    _tokens: dict[str, array] = field(
        default_factory=dict, repr=False, compare=False)
    _tokens_of: dict | None = field(default=None, repr=False, compare=False)
    # The character n-gram columns of each word of model_text ("Kerja" and "kerja," give
    # the same word "kerja"), whatever the spellings.
    _words: dict[str, array] = field(default_factory=dict, repr=False, compare=False)
    _coef_t: np.ndarray | None = field(default=None, repr=False, compare=False)

    def clear_caches(self) -> None:
        """Forget the tokens seen so far (scripts/bench_wa.py measures from cold)."""
        self._tokens.clear()
        self._words.clear()

    def features(self, texts: list[str]):
        from scipy import sparse

        return sparse.hstack([self._ngrams(texts), shape_features(texts)], format="csr")

    def _ngrams(self, texts: list[str]):
        """TF-IDF of character and word n-grams as scikit-learn's TfidfVectorizer computed
        them in training (sublinear tf, each block L2-normalised), without scikit-learn.

        Character n-grams: read from model_text token by token (a token of the text
        gives the same words, and so the same character n-grams, which never cross a
        space, wherever it stands). Word n-grams: of word_text, per text."""
        from scipy import sparse

        from kebekerjaan.steps.answers.wa_ruleset import MEMO_LIMIT, load_rules

        abbreviations = load_rules().abbreviations
        if self._tokens_of is not abbreviations:  # the spellings changed (bench ablations)
            self._tokens.clear()
            self._tokens_of = abbreviations
        known, word_vocab = self._tokens, self.word_vocab
        lo, hi = self.word_range
        chars = array("q")  # columns of the character n-grams of every text, in turn
        words: list[int] = []  # and of its word n-grams
        char_sizes: list[int] = []
        word_sizes: list[int] = []
        for text in texts:
            n_chars = len(chars)
            for tok in str(text).split():
                found = known.get(tok)
                if found is None:
                    found = self._token_columns(tok, abbreviations)
                    if len(known) < MEMO_LIMIT:
                        known[tok] = found
                chars.extend(found)
            char_sizes.append(len(chars) - n_chars)
            n_words = len(words)
            tokens = _TOKEN.findall(word_text(text))
            words += filter(_known, map(word_vocab.get, ngrams_of(tokens, lo, hi)))
            word_sizes.append(len(words) - n_words)
        n_char = len(self.char_vocab)
        out = []
        for cols, sizes, idf in ((chars, char_sizes, self.idf[:n_char]),
                                 (words, word_sizes, self.idf[n_char:])):
            block = sparse.csr_matrix(
                (np.ones(len(cols)), np.asarray(cols, dtype=np.int64),
                 np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])),
                shape=(len(texts), len(idf)))
            block.sum_duplicates()  # counts, columns in order
            block.data = (1.0 + np.log(block.data)) * idf[block.indices]
            lengths = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
            lengths[lengths == 0] = 1.0
            out.append(sparse.diags(1.0 / lengths) @ block)
        return sparse.hstack(out, format="csr")

    def _token_columns(self, tok: str, abbreviations: dict[str, str]) -> array:
        """The character n-gram columns of one whitespace-free token."""
        from kebekerjaan.steps.answers.wa_ruleset import MEMO_LIMIT

        vocab, (lo, hi), known = self.char_vocab, self.char_range, self._words
        words = " ".join(_token_words(tok, abbreviations))
        chars = array("q")
        for word in words.split():  # character n-grams never cross a space
            found = known.get(word)
            if found is None:
                found = array("q", filter(_known, map(vocab.get, char_wb_ngrams(word, lo, hi))))
                if len(known) < MEMO_LIMIT:
                    known[word] = found
            chars.extend(found)
        return chars

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, len(self.classes)))
        if self._coef_t is None:  # scipy would copy the transposed view on every call
            self._coef_t = np.ascontiguousarray(self.coef.T)
        logits = self.features(texts) @ self._coef_t + self.intercept
        return softmax(np.asarray(logits) / self.temperature)


_known = partial(is_not, None)  # a vocabulary column (0 is one)
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
    return ngrams_of(_TOKEN.findall(text), lo, hi)


def ngrams_of(tokens: list[str], lo: int, hi: int) -> list[str]:
    """The word n-grams of a text's tokens, as word_ngrams."""
    out = list(tokens) if lo == 1 else []
    for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
        out += map(" ".join, zip(*(tokens[k:] for k in range(n))))
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
    false_outright = 0  # of false_status: recorded without review (the rest only proposed)
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
            false_outright += v.status is not None and not v.review
    out = {k: v / max(n_status, 1) for k, v in n.items()}
    out.update({f"{k}_n": v for k, v in n.items()})
    out.update(n_status=n_status, n_other=n_other, refusals=refusals,
               refusals_handled=handled, refusals_lost=lost, false_status_n=false_status,
               false_status_outright_n=false_outright,
               false_status=false_status / max(n_other, 1),
               review_all=reviewed / max(len(labels), 1))
    return out
