"""The report's settings (`[report]` of kebekerjaan.toml), read and checked in one place."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from kebekerjaan.core.config import Settings
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.rules.periods import Period

# The two employment rates of a recap, as the report names them.
RATE_NAMES = {
    "tpk_seluruh": "TPK seluruh alumni",
    "tpk_responden": "TPK responden",
}
# The signer shipped in defaults.toml: a report still carrying it is a sample.
PLACEHOLDER_HEAD_NAME = "Nama Kepala Balai"
PLACEHOLDER_HEAD_NIP = "197001012000031001"


@dataclass(frozen=True)
class ReportOptions:
    title: str
    document_number: str
    show_names: bool
    top_employers: int
    max_rows: int
    appendix_max_rows: int
    signature_city: str
    logo: Path | None
    official_rate: str
    targets: dict[str, float]  # period label -> target fraction (0..1)
    min_respondents_compare: int
    min_group: int
    response_rate_warning: float  # fraction
    background: tuple[str, ...]
    legal_basis: tuple[str, ...]
    purposes: tuple[str, ...]

    @property
    def other_rate(self) -> str:
        return next(r for r in RATE_NAMES if r != self.official_rate)

    def target(self, period: Period) -> float | None:
        """The target of a period: its own, else its year's (fraction), else None."""
        for label in (period.label, str(period.start.year)):
            if label in self.targets:
                return self.targets[label]
        return None


def report_options(settings: Settings, root: Path | None = None) -> ReportOptions:
    """`[report]` checked; `root` (the workspace folder) resolves a relative logo path."""
    r = settings.report
    where = settings.where
    official = r.official_rate.strip()
    if official not in RATE_NAMES:
        raise ConfigError(f"{where}: 'report.official_rate' harus salah satu dari "
                          f"{', '.join(repr(k) for k in RATE_NAMES)}, bukan {official!r}.")
    logo = r.logo.strip()
    logo_path = None
    if logo:
        logo_path = Path(logo)
        if not logo_path.is_absolute() and root is not None:
            logo_path = Path(root) / logo_path
    return ReportOptions(
        title=r.title or settings.sop.title,
        document_number=r.document_number,
        show_names=r.show_names,
        top_employers=r.top_employers,
        max_rows=r.max_rows,
        appendix_max_rows=r.appendix_max_rows,
        signature_city=r.signature_city or settings.institution.city,
        logo=logo_path,
        official_rate=official,
        targets=_targets(r.targets, where),
        min_respondents_compare=r.min_respondents_compare,
        min_group=r.min_group,
        response_rate_warning=_percent(r.response_rate_warning, "report.response_rate_warning",
                                       where),
        background=r.background,
        legal_basis=r.legal_basis,
        purposes=r.purposes,
    )


def _percent(value, key: str, where: str) -> float:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if not ok or math.isnan(value) or not 0 <= value <= 100:
        raise ConfigError(f"{where}: '{key}' harus persen antara 0 dan 100, bukan {value!r}.")
    return float(value) / 100


def _targets(items, where: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for i, item in enumerate(items or [], start=1):
        what = f"'report.targets' butir ke-{i}"
        if not isinstance(item, dict) or set(item) != {"periode", "persen"}:
            raise ConfigError(f"{where}: {what} harus berbentuk "
                              '{ periode = "2026", persen = 60.0 }.')
        try:
            period = Period.parse(str(item["periode"]))
        except Exception:
            raise ConfigError(f"{where}: {what}: periode {item['periode']!r} tidak dikenal; tulis "
                              "tahun (2026) atau caturwulan (2026-III).") from None
        if period.label in out:
            raise ConfigError(f"{where}: {what}: target periode {period.label} tercantum dua kali.")
        out[period.label] = _percent(item["persen"], f"report.targets butir ke-{i}", where)
    return out


def text_fields(settings: Settings) -> dict[str, str]:
    """The fields the report's configured texts may use."""
    waves = [int(w) for w in settings.survey.waves_months]
    return {
        "nama_instansi": settings.institution.name,
        "singkatan": settings.institution.short_name,
        "nomor_sop": settings.sop.number,
        "judul_sop": settings.sop.title,
        "gelombang": words_list([str(w) for w in waves]) + " bulan" if waves else "",
    }


def fill(template: str, fields: dict[str, str], key: str, where: str = "kebekerjaan.toml") -> str:
    """A configured text with its {fields} filled; an unknown field is a ConfigError."""
    try:
        return template.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"{where}: '{key}' memakai isian yang tidak dikenal ({exc}); yang dikenal: "
            + ", ".join("{" + k + "}" for k in fields) + "."
        ) from None


def words_list(parts: list[str]) -> str:
    """['1', '3', '6'] -> '1, 3, dan 6'; ['1', '3'] -> '1 dan 3' (PUEBI's list commas)."""
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + (", dan " if len(parts) > 2 else " dan ") + parts[-1]


def placeholder_signer(settings: Settings) -> bool:
    """Whether the report would be signed by the sample head of defaults.toml."""
    i = settings.institution
    return (i.head_name.strip() in ("", PLACEHOLDER_HEAD_NAME)
            or "".join(ch for ch in i.head_nip if ch.isdigit())
            in ("", PLACEHOLDER_HEAD_NIP))
