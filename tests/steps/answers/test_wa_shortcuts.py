"""Issue 15 (speed): the WhatsApp reader skips work where it can tell the result without
it: a rule pattern or a search whose needed words are missing, the [phrases] test
without re.I, normalisation and model features worked out once per distinct token.
Each test holds a shortcut against the plain computation, on generated texts."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from kebekerjaan.steps.answers.model import (
    char_wb_ngrams,
    load_model,
    model_text,
    word_ngrams,
    word_text,
)
from kebekerjaan.steps.answers.wa_ruleset import (
    _caseless_beyond_ascii,
    _lower_case,
    _required_sets,
    _required_words,
    load_rules,
    normalize,
    rules_table,
)

# Words of the rules, the signals and the phrases, and pieces that make reading hard.
_WORDS = sorted(set(re.findall(r"[a-z0-9]{2,}", " ".join(
    [p for r in rules_table()["rule"] for p in r["patterns"]]
    + [p for pats in rules_table()["signals"].values() for p in pats]
    + list(rules_table()["phrases"]))))) + [
    "saya", "adik", "kalau", "I'm", "IM", "Kerja", "SUDAH", "?", ",", ".", "2", "kerjaaa",
    "cari2", "sdh", "blm", "🙏", "é", "É", "\u212a", "\u017f", "\u0130", "\u0131", "'",
    "https://loker.id/x", "www.info.com", "0812-3456", "\u00a0", "\n"]
_TEXTS = st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_phrases_match_alike_without_re_i_in_lower_case_text(text):
    # The [phrases] as one alternation each testing the word start itself (the plain
    # way), the shipped pattern, and its lower-case twin find the same matches.
    phrases = rules_table()["phrases"]
    plain = re.compile("|".join(rf"(?<![\w'])(?P<p{i}>{p})(?![\w'])"
                                for i, p in enumerate(phrases)), re.I)
    rs = load_rules()

    def found(pattern, s):
        return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(s)]

    assert found(rs.phrases, text) == found(plain, text)
    if _caseless_beyond_ascii(text):
        assert found(_lower_case(rs.phrases), text.lower()) == found(plain, text)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_searches_skipped_by_their_needed_words_find_what_the_pattern_finds(text):
    rs = load_rules()
    index = rs.index
    searches = {"ignore": rs.ignore, "proxy": rs.proxy, "work_words": rs.work_words,
                **{f"signal_{name}": pattern for name, pattern in rs.signals}}
    norm = normalize(text)[0]
    bits = index.candidates(norm.split(" "))
    for name, pattern in searches.items():
        assert index.finds(name, norm, bits) == bool(pattern.search(norm)), name
        assert index.finds_in(name, text.casefold()) == bool(pattern.search(text.casefold())), name


def test_every_set_of_needed_words_is_in_its_pattern():
    rs = load_rules()
    for rule in rs.rules:
        for pattern, need in zip(rule.patterns, rule.needs):
            sets = _required_sets(pattern.pattern)
            assert need in sets, rule.id  # Rule.needs is the most specific of them
            for words in sets:
                assert all(re.search(w, pattern.pattern) for w in words), (rule.id, words)


def test_needed_words_read_from_a_pattern():
    assert _required_sets(r"(?:cari|mencari) (?:kerja|pekerjaan)") == [
        {"cari", "mencari"}, {"kerja", "pekerjaan"}]
    assert _required_words(r"(?:cpns|p3k) (?:di|formasi)") == {"cpns", "p3k"}  # digits too
    # A character made optional by a {0,n} quantifier is not needed.
    assert _required_words(r"kerjaa{0,3} keras") == {"kerja"}
    assert _required_words(r"kerja|(?:di )?rumah|ok") is None  # "ok" has no needed word


def _model_text_plain(text: str) -> str:
    """model_text as it read a whole message before it went token by token."""
    from kebekerjaan.steps.answers.model import _DIGITS, _REPEAT, _URL

    abbreviations = load_rules().abbreviations
    text = _URL.sub(" tautan ", str(text).casefold())
    text = _DIGITS.sub("0", text)
    text = _REPEAT.sub(r"\1", text)
    out = []
    for tok in text.split():
        core = tok.strip(".,;:!?\"'()[]{}<>*~_")
        repl = abbreviations.get(core)
        out.append(tok.replace(core, repl, 1) if repl and core else tok)
    return " ".join(out)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_model_text_token_by_token_is_that_of_the_whole_message(text):
    assert model_text(text) == _model_text_plain(text)


def _ngrams_plain(model, texts):
    """The TF-IDF n-gram features computed the plain way, from each whole model text
    (characters) and word text (words)."""
    n_char = len(model.char_vocab)
    rows, cols = [], []
    for r, text in enumerate(texts):
        norm, words = _model_text_plain(text), word_text(text)
        for vocab, grams, shift in ((model.char_vocab, char_wb_ngrams(norm, *model.char_range), 0),
                                    (model.word_vocab, word_ngrams(words, *model.word_range), n_char)):
            found = [vocab[g] + shift for g in grams if g in vocab]
            cols += found
            rows += [r] * len(found)
    x = sparse.csr_matrix((np.ones(len(cols)), (rows, cols)),
                          shape=(len(texts), n_char + len(model.word_vocab)))
    x.sum_duplicates()
    x.data = (1.0 + np.log(x.data)) * model.idf[x.indices]
    out = []
    for block in (x[:, :n_char], x[:, n_char:]):
        lengths = np.sqrt(np.asarray(block.multiply(block).sum(axis=1))).ravel()
        lengths[lengths == 0] = 1.0
        out.append(sparse.diags(1.0 / lengths) @ block)
    return sparse.hstack(out, format="csr")


@settings(max_examples=40, deadline=None)
@given(st.lists(_TEXTS, min_size=1, max_size=8))
def test_ngram_features_from_cached_tokens_equal_the_plain_ones_bit_for_bit(texts):
    model = load_model()
    want = _ngrams_plain(model, texts)
    model.clear_caches()
    cold = model._ngrams(texts)
    model._ngrams(texts[::-1])
    warm = model._ngrams(texts)  # every token known
    for got in (cold, warm):
        assert got.shape == want.shape
        assert np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.indptr, want.indptr)
        assert np.array_equal(got.data, want.data)  # same numbers, same order: same sums


def test_other_spellings_are_read_at_once_despite_the_caches():
    # The per-token caches hang on the spellings they were made from: a rule set given
    # other spellings (as bench_wa.py --ablations does, in place) reads with them.
    rs = dataclasses.replace(load_rules())
    text = "zzkrj di PT Maju Jaya"
    assert normalize(text, rs)[0].startswith("zzkrj")
    object.__setattr__(rs, "abbreviations", {**rs.abbreviations, "zzkrj": "bekerja"})
    assert normalize(text, rs)[0].startswith("bekerja")

    shipped, model = load_rules(), load_model()
    before = model_text(text), model._ngrams([text]).toarray()
    spellings = shipped.abbreviations
    try:
        object.__setattr__(shipped, "abbreviations", {**spellings, "zzkrj": "bekerja"})
        assert model_text(text).startswith("bekerja")
        assert not np.array_equal(model._ngrams([text]).toarray(), before[1])
    finally:
        object.__setattr__(shipped, "abbreviations", spellings)
    assert model_text(text) == before[0]
    assert np.array_equal(model._ngrams([text]).toarray(), before[1])
