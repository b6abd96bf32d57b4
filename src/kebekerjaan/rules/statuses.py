"""The employment-status vocabulary, in one place: the codes come from the questionnaire
(data/kuesioner.toml, in form order); this module says which count as employed and how
the recap workbook, the report tables and the report's sentences name each one."""

from __future__ import annotations

from kebekerjaan.rules.questionnaire import load_questionnaire

# code: (column header, narrow-table header with soft hyphens, words in a sentence)
_WORDS = {
    "bekerja": ("Bekerja", "Bekerja", "bekerja"),
    "wirausaha": ("Wirausaha", "Wira\u00adusaha", "berwirausaha"),
    "mencari": ("Mencari kerja", "Men\u00adcari kerja", "sedang mencari kerja"),
    "belum_memungkinkan": ("Belum memungkinkan bekerja",
                           "Belum me\u00admung\u00adkin\u00adkan", "belum memungkinkan bekerja"),
    "studi": ("Melanjutkan pendidikan", "Studi", "melanjutkan pendidikan"),
}

STATUSES: tuple[str, ...] = load_questionnaire().statuses
EMPLOYED: tuple[str, ...] = ("bekerja", "wirausaha")
# What a recap row without a counted answer shows in the status column.
NO_RESPONSE = "Belum merespons"
# ...and for an alumnus who declined the survey (refusals.py).
REFUSED = "Menolak disurvei"

if set(_WORDS) != set(STATUSES) or not set(EMPLOYED) <= set(STATUSES):  # pragma: no cover
    raise RuntimeError(f"statuses.py and kuesioner.toml disagree: {sorted(_WORDS)} vs {STATUSES}")

HEADERS = {code: _WORDS[code][0] for code in STATUSES}
SHORT_HEADERS = {code: _WORDS[code][1] for code in STATUSES}
PHRASES = {code: _WORDS[code][2] for code in STATUSES}


def title_header(code: str) -> str:
    """Header in title case for workbooks: 'Belum Memungkinkan Bekerja'."""
    return HEADERS[code].title()


def status_label(code) -> str:
    """The questionnaire's wording of a status code; NO_RESPONSE when there is none."""
    return load_questionnaire().status_label(code) if isinstance(code, str) else NO_RESPONSE

