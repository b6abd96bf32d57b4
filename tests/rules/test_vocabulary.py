"""rules/labels.py is the one home of the words staff read for states, kinds and counts:
every code the store accepts has its words, and a count without words shows as such."""

from __future__ import annotations

import sqlite3

import pytest

from kebekerjaan.core import store
from kebekerjaan.rules import labels
from kebekerjaan.rules.statuses import HEADERS
from kebekerjaan.steps.recap.model import QUALITY_KEYS, REACH_KEYS, SUMMARY_COLUMNS


def test_a_count_without_words_shows_its_key_instead_of_a_made_up_label():
    assert labels.count_label("late_cohort_rows") == "[late_cohort_rows]"
    assert not labels.is_labelled("late_cohort_rows")
    assert labels.is_labelled("listed_wave_3") and labels.is_labelled("matched")


def test_every_recap_indicator_and_check_has_its_words():
    for code in SUMMARY_COLUMNS:
        assert code in labels.INDICATORS or code in HEADERS
    assert set(labels.QUALITY_LABELS) == set(QUALITY_KEYS)
    assert set(labels.REACH_LABELS) == set(REACH_KEYS)
    for key in (*QUALITY_KEYS, *REACH_KEYS):
        assert labels.is_labelled(key)  # step 8 records them as counts too


def _store(tmp_path):
    con = store.connect(tmp_path / "kebekerjaan.sqlite")
    con.execute("PRAGMA foreign_keys = OFF")  # only the CHECK constraints on codes matter here
    return con


@pytest.mark.parametrize("kind", [*labels.SURVEY_KINDS, labels.VACANCY])
def test_the_store_accepts_every_outreach_kind_and_each_has_words(tmp_path, kind):
    con = _store(tmp_path)
    con.execute("INSERT INTO outreach_log (nik, kind, sent_on, created_at) "
                "VALUES ('7471010101990001', ?, '2026-11-27', 'x')", (kind,))
    assert labels.OUTREACH_LABELS[kind]
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO outreach_log (nik, kind, sent_on, created_at) "
                    "VALUES ('7471010101990001', 'kiriman', '2026-11-27', 'x')")


@pytest.mark.parametrize("source", labels.SOURCES)
def test_the_store_accepts_every_answer_source_and_each_has_words(tmp_path, source):
    con = _store(tmp_path)
    con.execute("INSERT INTO answers (answer_key, source, answered_at, created_at) "
                "VALUES ('k', ?, '2026-11-27', 'x')", (source,))
    assert labels.SOURCE_LABELS[source] and labels.REFUSAL_SOURCE_TEXT[source]
    assert labels.is_labelled(f"source_{source}")  # step 6 counts answers per source
