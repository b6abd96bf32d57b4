"""Settings: the package's defaults.toml overlaid by the workspace's kebekerjaan.toml.

Every key a BPVP may change lives in defaults.toml; a key that is not there is a
typo, and a typo is an error (not a silently ignored setting). The values come from
defaults.toml only: the classes below name and type each key, none repeats its value.
`load_settings` merges, checks and builds them once; the steps read typed attributes
(`settings.survey.waves_months`), never the TOML tables.
"""

from __future__ import annotations

import difflib
import os
import re
import sys
import typing
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from kebekerjaan.core.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "kebekerjaan.toml"
DEFAULTS_NAME = "defaults.toml"
# The repository root, when the package runs from a checkout (src layout).
PROJECT_ROOT = Path(__file__).resolve().parents[3]

Aliases = Mapping[str, tuple[str, ...]]  # internal column name -> headers accepted for it


# Names the workspace of every page and notebook the staff app (or a launcher) starts.
ENV_WORKSPACE = "KEBEKERJAAN_WORKSPACE"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
WORKSPACE_FOLDER = "kebekerjaan"  # under the user's documents folder


def default_workspace() -> Path:
    """The workspace when none is named: KEBEKERJAAN_WORKSPACE when set; the repository
    root when running from a checkout; the current folder when it is a workspace (it holds
    kebekerjaan.toml or a store); else `kebekerjaan` in the user's documents folder.

    Never the installed package's folder: a notebook opened from site-packages (its working
    folder `kebekerjaan/notebooks`) would otherwise put the store there.
    """
    named = os.environ.get(ENV_WORKSPACE, "").strip()
    if named:
        return Path(named).expanduser().resolve()
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "notebooks").is_dir():
        return PROJECT_ROOT
    here = Path.cwd().resolve()
    if not here.is_relative_to(PACKAGE_DIR) and (
            (here / CONFIG_NAME).is_file() or (here / "data" / "kebekerjaan.sqlite").is_file()):
        return here
    return documents_dir() / WORKSPACE_FOLDER


def documents_dir() -> Path:
    """The user's documents folder (Windows `C:\\Users\\<name>\\Documents`, the XDG one on
    Linux), else the home folder."""
    try:
        home = Path.home()
    except RuntimeError:  # no HOME / USERPROFILE: nothing sensible to guess
        raise ConfigError(
            "Folder kerja tidak disebut dan folder Dokumen pengguna tidak diketahui; sebut "
            "folder kerja dengan --workspace (atau parameter `workspace` notebook)."
        ) from None
    candidates = [_xdg_documents(home)] if os.name != "nt" else []
    candidates += [home / "Documents", home / "Dokumen"]
    return next((c for c in candidates if c is not None and c.is_dir()), home)


def _xdg_documents(home: Path) -> Path | None:
    """XDG_DOCUMENTS_DIR of ~/.config/user-dirs.dirs (a translated name, e.g. ~/Dokumen)."""
    try:
        text = (home / ".config" / "user-dirs.dirs").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    m = re.search(r'^XDG_DOCUMENTS_DIR="([^"]+)"', text, re.M)
    if not m:
        return None
    path = Path(m.group(1).replace("$HOME", str(home)))
    return None if path == home else path


def defaults_text() -> str:
    return resources.files("kebekerjaan").joinpath(DEFAULTS_NAME).read_text(encoding="utf-8")


@cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(defaults_text())


# --- one class per section of defaults.toml (field names are the TOML keys) -----------

@dataclass(frozen=True)
class Institution:
    name: str
    short_name: str
    parent: str
    unit: str
    address: str
    city: str
    phone: str
    email: str
    website: str
    head_name: str
    head_nip: str
    head_title: str
    home_province: str


@dataclass(frozen=True)
class Sop:
    number: str
    revision: str
    title: str


@dataclass(frozen=True)
class Survey:
    waves_months: tuple[int, ...]
    alumni_data_due_months: int
    window_days_before: int
    window_days_after: int
    form_link: str
    prefill_link: str  # "" = no personal links
    code_entry: str    # e.g. "entry.123": where the respondent code goes in prefill_link
    remind_after_days: int
    max_reminders: int


@dataclass(frozen=True)
class Run:
    lock_wait_seconds: int
    keep_personal_copies: int


@dataclass(frozen=True)
class Intake:
    header_search_rows: int
    program_acronyms: tuple[str, ...]


@dataclass(frozen=True)
class Vacancies:
    open_days_without_deadline: int
    recent_first: bool
    not_working_first: bool
    exclude_working: bool
    max_recipients_per_vacancy: int
    hashtags: tuple[str, ...]


@dataclass(frozen=True)
class Kejuruan:
    """One `[[kejuruan]]` item: `aliases` may be left out of an item."""

    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Columns:
    """`[columns.<kind>]`: per input kind, the headers accepted for each column."""

    alumni: Aliases
    lowongan: Aliases
    respons: Aliases
    blast: Aliases

    def __getitem__(self, kind: str) -> Aliases:
        """The aliases of an input kind by its name (the steps name theirs by KIND)."""
        if kind not in _field_names(Columns):
            raise KeyError(kind)
        return getattr(self, kind)


@dataclass(frozen=True)
class Answers:
    form_date_order: str
    chat_date_order: str
    utc_offset_hours: int
    review_below: float
    disagree_window_days: int
    staff_senders: tuple[str, ...]


@dataclass(frozen=True)
class Matching:
    accept: float
    review: float
    margin: float


@dataclass(frozen=True)
class Report:
    title: str
    document_number: str
    show_names: bool
    top_employers: int
    max_rows: int
    appendix_max_rows: int
    signature_city: str
    logo: str
    official_rate: str
    targets: tuple[dict, ...]  # checked by steps/report/options.py
    min_respondents_compare: int
    min_group: int
    response_rate_warning: float
    background: tuple[str, ...]
    legal_basis: tuple[str, ...]
    purposes: tuple[str, ...]


@dataclass(frozen=True)
class Output:
    csv_separator: str
    csv_bom: bool


@dataclass(frozen=True)
class SmileColumn:
    """One `[smile] columns` item; the recap checks `field` against what it can fill."""

    header: str
    field: str


@dataclass(frozen=True)
class Smile:
    sheet_name: str
    columns: tuple[SmileColumn, ...]


@dataclass(frozen=True)
class Aplikasi:
    host: str
    port: int
    password: str
    max_upload_mb: int


@dataclass(frozen=True)
class Settings:
    institution: Institution
    sop: Sop
    survey: Survey
    run: Run
    intake: Intake
    vacancies: Vacancies
    kejuruan: tuple[Kejuruan, ...]
    columns: Columns
    answers: Answers
    matching: Matching
    report: Report
    smile: Smile
    output: Output
    aplikasi: Aplikasi
    source: Path | None = None  # the kebekerjaan.toml read; None: defaults.toml alone

    @property
    def where(self) -> str:
        """The file name error messages point to."""
        return self.source.name if self.source else DEFAULTS_NAME

    def to_data(self) -> dict[str, Any]:
        """The settings as plain TOML-like data (tables, lists, scalars), keys sorted the
        same every time: a stable serialisation for fingerprints (the source file is not
        part of it: equal settings from two files are equal)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self) if f.name != "source"}


# --- loading ---------------------------------------------------------------------------

def load_settings(path: Path | None = None) -> Settings:
    """Defaults overlaid by `path` (a kebekerjaan.toml) when it exists, checked.

    Parsed and checked once per content: asked again for an unchanged file (a step and
    the staff pages ask many times), the file is read (a few kilobytes) but not parsed
    again. A changed file is seen at once, whatever the file system's time resolution
    (the column-mapping form writes aliases into it and reads them back); a broken file
    raises every time."""
    if path is not None and Path(path).is_file():
        return _load(Path(path), Path(path).read_bytes())
    return _load(None, b"")


# Keyed by the file and its whole content; a few workspaces per process (tests make many).
@lru_cache(maxsize=32)
def _load(source: Path | None, content: bytes) -> Settings:
    data = _defaults()
    if source is not None:
        try:
            # utf-8-sig: Notepad saves UTF-8 with a byte-order mark, which TOML forbids.
            user = tomllib.loads(content.decode("utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source.name}: penulisan TOML tidak sah ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{source.name}: simpan berkas sebagai UTF-8 ({exc})") from exc
        data = _merge(data, user, source.name, prefix="")
    settings = _build(data, source)
    _check(settings)
    return settings


_BOM = b"\xef\xbb\xbf"


def edit_config(path: Path, change) -> Path:
    """Change a workspace's kebekerjaan.toml with `change(doc)` (a tomlkit document),
    keeping every other line, comment and a Notepad byte-order mark as they were. The
    result must load (load_settings), else the file is put back as it was; a file that
    cannot be read or written (read-only, no permission, full disk) is a ConfigError in
    Indonesian, and nothing is changed."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from kebekerjaan.core.errors import describe_storage_error

    path = Path(path)
    try:
        before = path.read_bytes() if path.exists() else None
    except OSError as exc:
        raise ConfigError(f"{path.name} tidak dapat dibaca: {describe_storage_error(exc, path)}") from exc
    bom = before is not None and before.startswith(_BOM)
    try:
        # utf-8-sig: a byte-order mark is no TOML key (tomlkit would say "Empty key").
        doc = tomlkit.parse(before.decode("utf-8-sig")) if before is not None else tomlkit.document()
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path.name}: simpan berkas sebagai UTF-8 ({exc})") from exc
    except TOMLKitError as exc:
        raise ConfigError(f"{path.name}: penulisan TOML tidak sah ({exc}); perbaiki dulu "
                          "berkasnya, lalu simpan lagi") from exc
    change(doc)
    data = (_BOM if bom else b"") + tomlkit.dumps(doc).encode("utf-8")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ConfigError(
            f"{path.name} tidak dapat disimpan, tidak ada yang diubah: "
            f"{describe_storage_error(exc, path)} (berkas hanya-baca? klik kanan > Properties, "
            "hapus centang Read-only)") from exc
    try:
        load_settings(path)
    except ConfigError:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(before)
        raise
    return path


def _merge(base: dict, user: dict, fname: str, prefix: str) -> dict:
    merged = dict(base)
    for key, value in user.items():
        where = f"{prefix}{key}"
        if key not in base:
            hint = difflib.get_close_matches(key, list(base), n=1)
            more = f" (maksud Anda '{prefix}{hint[0]}'?)" if hint else ""
            known = ", ".join(sorted(base))
            raise ConfigError(
                f"{fname}: kunci '{where}' tidak dikenal{more}. Kunci yang dikenal di sini: {known}."
            )
        expected = base[key]
        if isinstance(expected, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{fname}: '{where}' harus berupa tabel [{where}].")
            merged[key] = _merge(expected, value, fname, prefix=f"{where}.")
        else:
            _check_type(expected, value, fname, where)
            merged[key] = value
    return merged


_TYPE_NAMES = {str: "teks", int: "bilangan bulat", float: "bilangan", bool: "benar/salah",
               list: "daftar"}


def _check_type(expected: Any, value: Any, fname: str, where: str) -> None:
    kind = type(expected)
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    # `accept = 85` where the default is 90.0: a whole number is a fine decimal.
    ok = ok or (kind is float and isinstance(value, int) and not isinstance(value, bool))
    if not ok:
        raise ConfigError(
            f"{fname}: '{where}' harus berupa {_TYPE_NAMES.get(kind, kind.__name__)}, "
            f"bukan {value!r}."
        )
    if kind is list and expected and isinstance(expected[0], dict):
        known = set().union(*(item.keys() for item in expected))
        for i, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise ConfigError(f"{fname}: '{where}' butir ke-{i} harus berupa tabel.")
            for k in item:
                if k not in known:
                    raise ConfigError(
                        f"{fname}: kunci '{where}.{k}' (butir ke-{i}) tidak dikenal; "
                        f"yang dikenal: {', '.join(sorted(known))}."
                    )
    elif kind is list and expected:
        item_kind = type(expected[0])
        bad = [v for v in value if not isinstance(v, item_kind)]
        if bad:
            raise ConfigError(
                f"{fname}: '{where}' harus berisi {_TYPE_NAMES.get(item_kind, '')}, "
                f"bukan {bad[0]!r}."
            )


# --- building the typed settings -------------------------------------------------------

@cache
def _hints(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _field_names(cls) -> list[str]:
    return [f.name for f in fields(cls)]


def _section(cls, table: dict, where: str):
    """A section class from its (merged, type-checked) TOML table. defaults.toml and the
    class name the same keys: a key in one but not the other is a bug in the package."""
    names = _field_names(cls)
    if set(names) != set(table):
        raise AssertionError(f"{cls.__name__} fields {sorted(names)} != {DEFAULTS_NAME} keys "
                             f"{sorted(table)}")
    hints = _hints(cls)
    return cls(**{n: _value(hints[n], table[n], where) for n in names})


def _value(hint, value, where: str):
    if hint is float:
        return float(value)
    if typing.get_origin(hint) is tuple:
        return tuple(value)
    if typing.get_origin(hint) is Mapping:  # [columns.<kind>]: field -> headers
        return MappingProxyType({k: tuple(v) for k, v in value.items()})
    if is_dataclass(hint):
        return _section(hint, value, where)
    return value


def _build(data: dict[str, Any], source: Path | None) -> Settings:
    where = source.name if source else DEFAULTS_NAME
    special = {"kejuruan": _kejuruan(data["kejuruan"], where),
               "smile": Smile(sheet_name=data["smile"]["sheet_name"],
                              columns=_smile_columns(data["smile"]["columns"], where))}
    plain = {n: _value(_hints(Settings)[n], data[n], where)
             for n in _field_names(Settings) if n not in special and n != "source"}
    if set(data) != {*plain, *special}:
        raise AssertionError(f"Settings fields != {DEFAULTS_NAME} sections {sorted(data)}")
    return Settings(**plain, **special, source=source)


def _kejuruan(items: list[dict], where: str) -> tuple[Kejuruan, ...]:
    out = []
    for i, item in enumerate(items, start=1):
        name = str(item.get("name", "")).strip()
        if not name:
            raise ConfigError(f"{where}: kejuruan butir ke-{i} tidak punya 'name'.")
        out.append(Kejuruan(name, tuple(str(a) for a in item.get("aliases", []))))
    return tuple(out)


def _smile_columns(items: list[dict], where: str) -> tuple[SmileColumn, ...]:
    if not items:
        raise ConfigError(f"{where}: 'smile.columns' kosong; cantumkan paling sedikit satu kolom.")
    out, seen = [], set()
    for i, item in enumerate(items, start=1):
        header = str(item.get("header", "")).strip()
        name = str(item.get("field", "")).strip()
        if not header or not name:
            raise ConfigError(f"{where}: kolom SMILe ke-{i} harus punya 'header' dan 'field'.")
        if header in seen:
            raise ConfigError(f"{where}: judul kolom SMILe '{header}' tercantum dua kali.")
        seen.add(header)
        out.append(SmileColumn(header, name))
    return tuple(out)


def _check(s: Settings) -> None:
    """The rules a value must follow besides its type, each error naming its TOML key."""
    where = s.where
    waves = s.survey.waves_months
    if not waves or any(w <= 0 for w in waves) or sorted(set(waves)) != list(waves):
        raise ConfigError(
            f"{where}: 'survey.waves_months' harus berisi bulan positif yang naik, mis. [1, 3, 6]."
        )
    for key in ("window_days_before", "window_days_after", "alumni_data_due_months",
                "max_reminders"):
        if getattr(s.survey, key) < 0:
            raise ConfigError(
                f"{where}: 'survey.{key}' tidak boleh negatif ({getattr(s.survey, key)}).")
    if s.survey.remind_after_days < 1:
        raise ConfigError(f"{where}: 'survey.remind_after_days' paling sedikit 1 hari.")
    _check_links(s.survey, where)
    if s.run.keep_personal_copies < 1:
        raise ConfigError(f"{where}: 'run.keep_personal_copies' paling sedikit 1 "
                          f"({s.run.keep_personal_copies}).")
    if s.aplikasi.max_upload_mb < 1:
        raise ConfigError(f"{where}: 'aplikasi.max_upload_mb' paling sedikit 1 (MB), bukan "
                          f"{s.aplikasi.max_upload_mb}.")
    m = s.matching
    if not 0 <= m.review <= m.accept <= 100:
        raise ConfigError(f"{where}: [matching] harus 0 <= review <= accept <= 100.")
    for key in ("top_employers", "max_rows", "appendix_max_rows", "min_respondents_compare",
                "min_group"):
        if getattr(s.report, key) < 0:
            raise ConfigError(
                f"{where}: 'report.{key}' tidak boleh negatif ({getattr(s.report, key)}).")


def _check_links(survey: Survey, where: str) -> None:
    link = survey.form_link.strip()
    if not link.startswith(("https://", "http://")):
        raise ConfigError(
            f"{where}: 'survey.form_link' harus berupa tautan yang diawali https://, "
            f"bukan {link!r}."
        )
    prefill, entry = survey.prefill_link.strip(), survey.code_entry.strip()
    if not (prefill or entry):
        return
    if not prefill.startswith(("https://", "http://")):
        raise ConfigError(
            f"{where}: 'survey.prefill_link' harus berupa tautan isian awal formulir yang "
            f"diawali https://, bukan {prefill!r} (kosongkan bila tidak dipakai)."
        )
    if not re.fullmatch(r"entry\.\d+", entry):
        raise ConfigError(
            f"{where}: 'survey.code_entry' harus berupa nama isian kode responden seperti "
            f"\"entry.123\", bukan {entry!r} (lihat catatan skrip `kebekerjaan formulir`)."
        )
    if entry not in dict(parse_qsl(urlsplit(prefill).query, keep_blank_values=True)):
        raise ConfigError(
            f"{where}: 'survey.prefill_link' tidak memuat isian {entry} ('survey.code_entry'); "
            "salin tautan isian awal dari catatan skrip formulir apa adanya."
        )


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value
