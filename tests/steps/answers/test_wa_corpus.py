"""The labelled corpus of WhatsApp replies and the shipped model (issue 9)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from kebekerjaan.rules.questionnaire import load_questionnaire
from kebekerjaan.steps.answers.model import NON_STATUS, feature_names, load_corpus, load_model

ROOT = Path(__file__).resolve().parents[3]


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_corpus_covers_every_status_and_every_kind_of_non_answer():
    corpus = load_corpus()
    assert len(corpus) >= 800
    statuses = set(load_questionnaire().statuses)
    assert set(corpus["label"]) == statuses | set(NON_STATUS)
    for split in ("latih", "uji"):
        assert set(corpus.loc[corpus["split"] == split, "label"]) == statuses | set(NON_STATUS)


def test_held_out_split_takes_whole_families_and_a_quarter():
    corpus = load_corpus()
    by_family = corpus.groupby("family")["split"].nunique()
    assert (by_family == 1).all()  # no family on both sides: no near-duplicates in the test
    share = (corpus["split"] == "uji").mean()
    assert 0.2 <= share <= 0.3
    train = set(corpus.loc[corpus["split"] == "latih", "text"].str.casefold())
    test = set(corpus.loc[corpus["split"] == "uji", "text"].str.casefold())
    assert not train & test


def test_corpus_file_is_what_the_script_writes():
    rows = _script("make_wa_corpus").build()
    corpus = load_corpus()
    assert [r["text"] for r in rows] == corpus["text"].tolist()
    assert [r["split"] for r in rows] == corpus["split"].tolist()


def test_shipped_model_is_plain_arrays_and_fits_the_rules():
    path = ROOT / "src" / "kebekerjaan" / "data" / "wa_model.npz"
    with np.load(path, allow_pickle=False) as z:  # no pickled objects inside
        assert z["coef"].shape[1] == len(z["char_vocab"]) + len(z["word_vocab"]) + len(feature_names())
    model = load_model()
    assert set(model.classes) == set(load_questionnaire().statuses) | set(NON_STATUS)
    raw, labels, _ = _script("train_wa_model").training_rows()
    assert model.meta["trained_on"] == len(raw)
    probs = model.predict_proba(["alhamdulillah sudah kerja di PT Antam", "selamat pagi semua"])
    assert np.allclose(probs.sum(axis=1), 1)
    assert model.classes[int(np.argmax(probs[0]))] == "bekerja"
    assert model.classes[int(np.argmax(probs[1]))] == "obrolan"


def test_shipped_model_was_built_from_the_shipped_training_data_and_rules():
    """The model in the package is the one scripts/train_wa_model.py builds from the
    corpus's training split, the writers' replies and the current rules (a change to
    any of them without retraining fails here)."""
    train = _script("train_wa_model")
    raw, labels, _ = train.training_rows()
    assert load_model().meta["inputs"] == train.inputs_digest(raw, labels)
    corpus = load_corpus()
    held_out = set(corpus.loc[corpus["split"] == "uji", "text"])
    assert not held_out & set(raw)  # the held-out split stays out of training


def test_a_comment_in_the_rules_needs_no_retraining_but_a_rule_does(monkeypatch):
    """Staff may reword the Indonesian comments of aturan_wa.toml: the model stays current.
    A changed list or phrase (the order of [phrases] too) makes it stale."""
    from importlib import resources

    import tomllib

    from kebekerjaan.steps.answers import wa_ruleset

    train = _script("train_wa_model")
    text = resources.files("kebekerjaan").joinpath(wa_ruleset.RULES_FILE).read_text(encoding="utf-8")

    def digest(of_text):
        monkeypatch.setattr(wa_ruleset, "rules_table", lambda: tomllib.loads(of_text))
        return train.inputs_digest(["sudah kerja"], ["bekerja"])

    shipped = digest(text)
    assert digest("# komentar baru untuk staf\n" + text.replace("\n#", "\n#  ", 3)) == shipped
    assert digest(text.replace('statement_words = [', 'statement_words = ["udah2", ', 1)) != shipped
    first, second = [line for line in text.split("\n") if line.startswith("'not ")][:2]
    assert digest(text.replace(first, "\x00").replace(second, first).replace("\x00", second)) != shipped


def test_introduced_copies_keep_the_label_and_group_of_the_reply_they_copy():
    train = _script("train_wa_model")
    raw = [f"sudah kerja di bengkel nomor {i} ya" for i in range(200)] + ["Adik saya kuliah di UHO"] * 3
    labels = ["bekerja"] * 200 + ["orang_lain"] * 3
    groups = [f"g{i % 7}" for i in range(203)]
    out = train.with_introductions(raw, labels, groups)
    assert out == train.with_introductions(raw, labels, groups)  # the same copies every run
    assert out[0][:203] == raw and out[1][:203] == labels and out[2][:203] == groups
    added = list(zip(*(part[203:] for part in out)))
    assert 20 <= len(added) <= 70  # about INTRO_SHARE of the replies
    by_text = {t: (lab, g) for t, lab, g in zip(raw, labels, groups)}
    for text, label, group in added:
        source = next(t for t in by_text if t in text and t != text)
        assert (label, group) == by_text[source]


def test_shipped_common_words_are_those_of_the_training_replies():
    """data/wa_kata_umum.txt is what train_wa_model.py makes of the training replies (a
    retrain writes it); a common given name is never on it."""
    from kebekerjaan.steps.answers.wa_ruleset import common_words, load_rules

    raw, _, _ = _script("train_wa_model").training_rows()
    rs = load_rules()
    assert sorted(rs.common_words) == common_words(raw, rs.given_names)
    assert {"kerja", "hotel", "jujur"} <= rs.common_words
    assert not rs.common_words & rs.given_names


def test_importing_the_package_does_not_load_the_model_library():
    import subprocess
    import sys

    code = ("import sys, kebekerjaan.steps.answers.collect, kebekerjaan.ui.answers; "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
