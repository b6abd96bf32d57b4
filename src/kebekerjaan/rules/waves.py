"""The survey's timing and links: the `[survey]` settings every step that places a message
or an answer in a survey wave reads (steps 4 and 5 choose whom to message, step 7 places
each answer in its wave, step 8 counts who was due).

A wave's due date is the training end + N months, clamped to the month end (31 January +
1 month = 28/29 February); its window opens some days before and closes some days after.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from dateutil.relativedelta import relativedelta

from kebekerjaan.core.config import Settings
from kebekerjaan.rules.codes import display as display_code

_PLACEHOLDER_LINK = "contoh-ganti"


@dataclass(frozen=True)
class SurveyRules:
    """The `[survey]` settings as the outreach rules use them."""

    waves: tuple[int, ...]
    days_before: int
    days_after: int
    data_due_months: int
    form_link: str
    remind_after_days: int
    max_reminders: int
    prefill_link: str = ""  # pre-filled form link holding the code entry ("" = not set)
    code_entry: str = ""    # e.g. "entry.123": where the respondent code goes in it

    @classmethod
    def from_settings(cls, settings: Settings) -> SurveyRules:
        """From `[survey]`, which load_settings has checked (core.config)."""
        s = settings.survey
        return cls(
            waves=s.waves_months, days_before=s.window_days_before,
            days_after=s.window_days_after, data_due_months=s.alumni_data_due_months,
            form_link=s.form_link.strip(), remind_after_days=s.remind_after_days,
            max_reminders=s.max_reminders, prefill_link=s.prefill_link.strip(),
            code_entry=s.code_entry.strip(),
        )

    @property
    def personal_links(self) -> bool:
        """Whether messages carry a pre-filled personal link (else the plain form link)."""
        return bool(self.prefill_link)

    def link_for(self, code: str | None) -> str:
        """The form link an alumnus gets: pre-filled with their code when configured."""
        if not self.personal_links or not code:
            return self.form_link
        parts = urlsplit(self.prefill_link)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                 if k != self.code_entry]
        query.append((self.code_entry, display_code(code)))
        return urlunsplit(parts._replace(query=urlencode(query)))

    @property
    def link_is_placeholder(self) -> bool:
        return _PLACEHOLDER_LINK in self.form_link

    def notes(self) -> list[str]:
        """Warnings for staff about the settings themselves."""
        notes = []
        if self.link_is_placeholder and not self.personal_links:
            notes.append("Tautan formulir survei masih contoh bawaan: isi 'form_link' di bagian "
                         "[survey] kebekerjaan.toml sebelum mengirim pesan.")
        if not self.personal_links:
            notes.append("Tautan pribadi belum diatur ('prefill_link' dan 'code_entry' di bagian "
                         "[survey]): pesan memuat tautan formulir biasa dan kode responden, dan "
                         "jawaban formulir dicocokkan lewat NIK, nomor HP atau nama.")
        return notes


@cache
def add_months(day: date, months: int) -> date:
    """`day` + N calendar months, clamped to the month end (31 Jan + 1 = 28/29 Feb)."""
    # Cached: a cohort shares its end date, and every list asks for each wave of each.
    return day + relativedelta(months=months)


def wave_windows(end: date, rules: SurveyRules) -> list[tuple[int, date, date, date]]:
    """(wave, due, opens, closes) of each survey wave of a training that ended on `end`.

    A wave opens `days_before` days before its due date (never before the training ended)
    and closes `days_after` days after it, or the day before the next wave opens: a
    training never has two waves open at once, so an alumnus gets one survey at a time.
    """
    dues = [add_months(end, w) for w in rules.waves]
    out = []
    for i, (wave, due) in enumerate(zip(rules.waves, dues)):
        opens = max(due - timedelta(days=rules.days_before), end + timedelta(days=1))
        closes = due + timedelta(days=rules.days_after)
        if i + 1 < len(dues):
            closes = min(closes, dues[i + 1] - timedelta(days=rules.days_before + 1))
        out.append((wave, due, opens, closes))
    return out
