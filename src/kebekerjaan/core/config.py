"""Settings: the package's defaults.toml overlaid by the workspace's kebekerjaan.toml.

Every key a BPVP may change lives in defaults.toml; a key that is not there is a
typo, and a typo is an error (not a silently ignored setting).
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from kebekerjaan.core.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_NAME = "kebekerjaan.toml"
# The repository root, when the package runs from a checkout (src layout).
PROJECT_ROOT = Path(__file__).resolve().parents[3]


def default_workspace() -> Path:
    """The repository root when running from a checkout, else the current folder."""
    if (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "notebooks").is_dir():
        return PROJECT_ROOT
    return Path.cwd()


def defaults_text() -> str:
    return resources.files("kebekerjaan").joinpath("defaults.toml").read_text(encoding="utf-8")


@cache
def _defaults() -> dict[str, Any]:
    return tomllib.loads(defaults_text())


@dataclass(frozen=True)
class Kejuruan:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Settings:
    institution: dict[str, str]
    sop: dict[str, str]
    survey: dict[str, Any]
    intake: dict[str, Any]
    kejuruan: tuple[Kejuruan, ...]
    columns: dict[str, dict[str, tuple[str, ...]]]
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)


def load_settings(path: Path | None = None) -> Settings:
    """Defaults overlaid by `path` (a kebekerjaan.toml) when it exists."""
    data = _defaults()
    source = None
    if path is not None and Path(path).is_file():
        source = Path(path)
        try:
            # utf-8-sig: Notepad saves UTF-8 with a byte-order mark, which TOML forbids.
            user = tomllib.loads(source.read_text(encoding="utf-8-sig"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source.name}: penulisan TOML tidak sah ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{source.name}: simpan berkas sebagai UTF-8 ({exc})") from exc
        data = _merge(data, user, source.name, prefix="")
    return _build(data, source)


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


def _build(data: dict[str, Any], source: Path | None) -> Settings:
    fname = source.name if source else "defaults.toml"
    kejuruan = []
    for i, item in enumerate(data["kejuruan"], start=1):
        name = str(item.get("name", "")).strip()
        if not name:
            raise ConfigError(f"{fname}: kejuruan butir ke-{i} tidak punya 'name'.")
        kejuruan.append(Kejuruan(name, tuple(str(a) for a in item.get("aliases", []))))
    waves = data["survey"]["waves_months"]
    if not waves or any(w <= 0 for w in waves) or sorted(set(waves)) != list(waves):
        raise ConfigError(
            f"{fname}: 'survey.waves_months' harus berisi bulan positif yang naik, mis. [1, 3, 6]."
        )
    columns = {
        kind: {fld: tuple(aliases) for fld, aliases in fields.items()}
        for kind, fields in data["columns"].items()
    }
    return Settings(
        institution=dict(data["institution"]),
        sop=dict(data["sop"]),
        survey=dict(data["survey"]),
        intake=dict(data["intake"]),
        kejuruan=tuple(kejuruan),
        columns=columns,
        source=source,
        raw=data,
    )
