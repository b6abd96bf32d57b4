"""Tests for kebekerjaan.demo.sample: synthetic SIAPkerja alumni exports.

Checks are made independently of the generator: NIKs are decoded here, header and kejuruan
spellings are checked against defaults.toml, and each messy kind is recognised from the raw
values alone.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from kebekerjaan.demo import sample

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

AS_OF = date(2026, 11, 27)
STANDARD_HEADERS = [
    "NIK",
    "Nama Lengkap",
    "Jenis Kelamin",
    "Tanggal Lahir",
    "Pendidikan Terakhir",
    "Alamat",
    "No. Telp/WA",
    "Email",
    "Kejuruan",
    "Program Pelatihan",
    "Angkatan",
    "Tanggal Mulai",
    "Tanggal Selesai",
    "Status Kelulusan",
]
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"], 1
    )
}
MONTHS.update({"peb": 2, "agt": 8, "nop": 11, "may": 5, "aug": 8, "oct": 10, "dec": 12})


def norm(s: object) -> str:
    return re.sub(r"[^0-9a-z]", "", str(s).casefold())


@pytest.fixture(scope="module")
def defaults() -> dict:
    path = Path(sample.__file__).parents[1] / "defaults.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def known_kejuruan(defaults) -> set[str]:
    return {norm(x) for k in defaults["kejuruan"] for x in [k["name"], *k["aliases"]]}


@pytest.fixture(scope="module")
def header_aliases(defaults) -> dict[str, str]:
    """normalised alias -> internal column key"""
    return {norm(a): key for key, aliases in defaults["columns"]["alumni"].items() for a in aliases}


@pytest.fixture(scope="module")
def frame400() -> pd.DataFrame:
    return sample.alumni_frame(400)


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> list[Path]:
    return sample.write_sample(tmp_path_factory.mktemp("a"))


# --- helpers: decoding done here, not by the package --------------------------------------


def decode_nik(nik: str) -> tuple[bool, int, int, int]:
    """(female, day, month, yy) from a 16-digit NIK."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    return dd > 40, dd - 40 if dd > 40 else dd, mm, yy


def sex_is_female(label: object) -> bool | None:
    s = str(label).strip().casefold()
    return {"p": True, "perempuan": True, "l": False, "laki-laki": False}.get(s)


def parse_date(v: object) -> date | None:
    """Dates as a date cell or in the text forms the exports use; None if unreadable."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if not isinstance(v, str):
        return None
    s = v.strip()
    try:
        if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})[ -]([A-Za-z]{3})[ -](\d{2}|\d{4})", s):
            y = int(m[3]) + (2000 if len(m[3]) == 2 and int(m[3]) < 69 else 0)
            y += 1900 if len(m[3]) == 2 and y < 100 else 0
            return date(y, MONTHS[m[2].lower()], int(m[1]))
    except (ValueError, KeyError):
        return None
    return None


def digits(v: object) -> str:
    return re.sub(r"\D", "", str(v)) if v is not None else ""


def is_blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and v != v) or str(v).strip() == ""


def clean_nik(v: object) -> str | None:
    return v if isinstance(v, str) and re.fullmatch(r"\d{16}", v) else None


def detect_kinds(df: pd.DataFrame, known: set[str]) -> dict[str, int]:
    """Count rows showing each problem, judged from raw values only."""
    c = {k: 0 for k in EXPECTED_KINDS}
    for r in df.itertuples(index=False, name=None):
        nik, name, sex, born, _, _, phone, _, kej, prog, ang, _, end, _ = r
        if isinstance(nik, int):
            c["nik_number"] += 1
        elif isinstance(nik, str):
            if re.fullmatch(r"\d\.\d+E\+\d+", nik):
                c["nik_scientific"] += 1
            elif re.fullmatch(r"\d{1,15}", nik):
                c["nik_short"] += 1
            elif re.fullmatch(r"99\d{14}", nik):
                c["nik_province_unknown"] += 1
            elif re.fullmatch(r"\d{16}\.0", nik):
                c["nik_trailing_zero"] += 1
            elif nik.startswith("'") and re.fullmatch(r"\d{16}", nik[1:]):
                c["nik_apostrophe"] += 1
            elif "." in nik and re.fullmatch(r"[\d.]+", nik) and len(digits(nik)) == 16:
                c["nik_dots"] += 1
            elif " " in nik and re.fullmatch(r"[\d ]+", nik) and len(digits(nik)) == 16:
                c["nik_spaces"] += 1
        if is_blank(name):
            c["name_empty"] += 1
        if not is_blank(kej) and norm(kej) not in known:
            c["kejuruan_unknown"] += 1
        c["program_empty"] += is_blank(prog)
        c["angkatan_empty"] += is_blank(ang)
        if is_blank(end):
            c["end_date_empty"] += 1
        elif parse_date(end) is None:
            c["end_date_unreadable"] += 1
        d = digits(phone)
        if is_blank(phone):
            c["phone_missing"] += 1
        elif len(d) < 9:
            c["phone_invalid"] += 1
        elif d.startswith("04"):
            c["phone_landline"] += 1
        if parse_date(born) is None and not is_blank(born):
            c["birth_date_unreadable"] += 1
        if (n := clean_nik(nik)) and not n.startswith("99"):
            female, day, month, yy = decode_nik(n)
            if sex_is_female(sex) is not None and sex_is_female(sex) != female:
                c["nik_sex_mismatch"] += 1
            b = parse_date(born)
            if b is not None and (b.day, b.month, b.year % 100) != (day, month, yy):
                c["nik_birth_mismatch"] += 1
    c["duplicate_row"] = int(df.duplicated().sum())
    return c


EXPECTED_KINDS = (
    "nik_scientific",
    "nik_short",
    "nik_province_unknown",
    "name_empty",
    "kejuruan_unknown",
    "program_empty",
    "angkatan_empty",
    "end_date_empty",
    "end_date_unreadable",
    "nik_spaces",
    "nik_dots",
    "nik_apostrophe",
    "nik_trailing_zero",
    "nik_number",
    "phone_missing",
    "phone_invalid",
    "phone_landline",
    "nik_sex_mismatch",
    "nik_birth_mismatch",
    "birth_date_unreadable",
    "duplicate_row",
)


def read_any(path: Path) -> pd.DataFrame:
    """Read a written export as text, the way a person would see it."""
    if path.suffix == ".xlsx":
        return pd.read_excel(path, header=4, dtype=str)
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    return pd.read_csv(path, sep=";", encoding="cp1252", dtype=str)


# --- alumni_frame -------------------------------------------------------------------------


def test_frame_deterministic():
    a = sample.alumni_frame(300, seed=7)
    pd.testing.assert_frame_equal(a, sample.alumni_frame(300, seed=7))
    assert not a.equals(sample.alumni_frame(300, seed=8))
    pd.testing.assert_frame_equal(
        sample.alumni_frame(50, seed=7, messy=False), sample.alumni_frame(50, seed=7, messy=False)
    )


def test_frame_shape_and_cell_types(frame400, header_aliases):
    assert len(frame400) == 400
    assert list(frame400.columns) == STANDARD_HEADERS
    assert all(norm(h) in header_aliases for h in frame400.columns)
    assert all(pd.api.types.is_object_dtype(t) for t in frame400.dtypes)
    for col in frame400.columns:
        kinds = {type(v) for v in frame400[col]}
        assert kinds <= {str, int, date, type(None)}, (col, kinds)
    assert len(sample.alumni_frame(0)) == 0
    assert len(sample.alumni_frame(1)) == 1


def test_trainings_are_plausible(frame400):
    df = sample.alumni_frame(1000, messy=False)
    start = df["Tanggal Mulai"]
    end = df["Tanggal Selesai"]
    assert all(isinstance(d, date) for d in start) and all(isinstance(d, date) for d in end)
    assert max(end) < AS_OF
    assert {d.year for d in start} <= {2025, 2026}
    days = [(e - s).days for s, e in zip(start, end, strict=True)]
    assert 20 <= min(days) and max(days) <= 70
    sizes = df.groupby(["Program Pelatihan", "Tanggal Mulai"]).size()
    assert sizes.median() == 16


def test_clean_frame_niks_agree_with_sex_and_birth_date():
    df = sample.alumni_frame(3000, seed=11, messy=False)
    niks = df["NIK"]
    assert all(isinstance(n, str) and re.fullmatch(r"\d{16}", n) for n in niks)
    assert niks.is_unique
    for n, sex, born in zip(niks, df["Jenis Kelamin"], df["Tanggal Lahir"], strict=True):
        female, day, month, yy = decode_nik(n)
        assert sex_is_female(sex) is female, (n, sex)
        assert (born.day, born.month, born.year % 100) == (day, month, yy), (n, born)
        assert 1 <= int(n[12:]) <= 9999
    # mostly Sulawesi Tenggara, some from elsewhere
    share_74 = niks.str.startswith("74").mean()
    assert 0.85 <= share_74 < 1.0
    # phones: all mobiles, in several spellings
    for p in df["No. Telp/WA"]:
        d = digits(p)
        d = d[2:] if d.startswith("62") else d.lstrip("0")
        assert re.fullmatch(r"8[1-9]\d{8,10}", d), p
    assert len({type(p) for p in df["No. Telp/WA"]}) == 2
    assert detect_kinds(df, set()).get("duplicate_row") == 0


def test_messy_niks_mostly_agree(frame400):
    agree = total = 0
    for n, sex, born in zip(
        frame400["NIK"], frame400["Jenis Kelamin"], frame400["Tanggal Lahir"], strict=True
    ):
        if clean_nik(n) and isinstance(born, date) and not n.startswith("99"):
            female, day, month, yy = decode_nik(n)
            total += 1
            same_date = (born.day, born.month, born.year % 100) == (day, month, yy)
            agree += sex_is_female(sex) is female and same_date
    assert total > 300
    assert 0.95 < agree / total < 1.0


def test_every_messy_kind_appears(frame400, known_kejuruan):
    assert set(sample.MESSY_KINDS) == set(EXPECTED_KINDS)
    counts = detect_kinds(frame400, known_kejuruan)
    missing = [k for k, v in counts.items() if v == 0]
    assert not missing, counts
    # a realistic share: about 8-12% of rows have something wrong
    assert 0.06 * 400 <= sum(counts.values()) <= 0.14 * 400, counts
    clean = sample.alumni_frame(400, messy=False)
    assert sum(detect_kinds(clean, known_kejuruan).values()) == 0


def test_kejuruan_values_are_canonical_or_aliases(frame400, known_kejuruan):
    values = frame400["Kejuruan"].dropna()
    unknown = {v for v in values if norm(v) not in known_kejuruan}
    assert unknown <= set(sample.UNKNOWN_KEJURUAN)
    assert (~values.map(norm).isin(known_kejuruan)).mean() < 0.03
    # both canonical names and aliases are used
    toml = (Path(sample.__file__).parents[1] / "defaults.toml").read_text("utf-8")
    canonical = {norm(k["name"]) for k in tomllib.loads(toml)["kejuruan"]}
    assert values.map(norm).isin(canonical).any()
    assert (values.map(norm).isin(known_kejuruan - canonical)).any()


def test_text_is_cp1252_encodable():
    df = sample.alumni_frame(5000, seed=3)
    for col in df.columns:
        for v in df[col]:
            if isinstance(v, str):
                v.encode("cp1252")


# --- write_sample -------------------------------------------------------------------------


def test_write_sample_variants(written, header_aliases, known_kejuruan):
    names = [p.name for p in written]
    assert written == sorted(written)
    assert all(p.parent.parts[-3:] == ("data", "masuk", "alumni") for p in written)
    xlsx = [p for p in written if p.suffix == ".xlsx"]
    csvs = [p for p in written if p.suffix == ".csv"]
    assert all(
        re.fullmatch(r"peserta_[a-z-]+_angkatan\d+_20\d\d( \(1\))?\.xlsx", n)
        for n in names
        if n.endswith(".xlsx")
    ), names
    assert all(re.fullmatch(r"export_siapkerja_20\d{6}\.csv", p.name) for p in csvs), names
    assert len(xlsx) >= 2 and len(csvs) == 2

    # (a) title block above the table, header on row 5, NIK as text
    ws = load_workbook(xlsx[0], read_only=True).active
    rows = list(ws.iter_rows(min_row=1, max_row=6, values_only=True))
    assert rows[0][0] == "DAFTAR PESERTA PELATIHAN"
    assert rows[1][0] == "BPVP KENDARI"
    assert str(rows[2][0]).startswith("Periode: ")
    assert all(v is None for v in rows[3])
    assert all(norm(h) in header_aliases for h in rows[4])
    assert isinstance(rows[5][0], str)

    raw = {p: p.read_bytes() for p in csvs}
    bom = [p for p in csvs if raw[p].startswith(b"\xef\xbb\xbf")]
    cp = [p for p in csvs if not raw[p].startswith(b"\xef\xbb\xbf")]
    assert len(bom) == 1 and len(cp) == 1
    # (b) ';' in cp1252 with Indonesian dates and non-ASCII cp1252 characters
    text = raw[cp[0]].decode("cp1252")
    assert ";" in text.splitlines()[0] and "\r\n" in text
    with pytest.raises(UnicodeDecodeError):
        raw[cp[0]].decode("utf-8")
    assert re.search(r"\b\d{2}/\d{2}/20\d\d\b", text)
    assert re.search(
        r"\b\d{1,2} (Jan|Feb|Peb|Mar|Apr|Mei|Jun|Jul|Agu|Agt|Sep|Okt|Nov|Nop|Des) "
        r"20\d\d\b",
        text,
    )
    # (c) ',' UTF-8 with BOM, ISO and dd-Mon-yy dates
    text = raw[bom[0]].decode("utf-8-sig")
    assert "," in text.splitlines()[0]
    assert re.search(r"\b20\d\d-\d\d-\d\d\b", text)
    assert re.search(r"\b\d{2}-[A-Z][a-z]{2}-\d{2}\b", text)

    frames = {p: read_any(p) for p in written}
    for p, df in frames.items():
        assert all(norm(h) in header_aliases for h in df.columns), p
        assert df.shape[1] == 14
        values = df.iloc[:, [header_aliases[norm(h)] for h in df.columns].index("kejuruan")]
        assert all(
            norm(v) in known_kejuruan or v in sample.UNKNOWN_KEJURUAN for v in values.dropna()
        ), p

    # every row of the sample is in exactly one original file
    originals = [p for p in written if " (1)" not in p.name]
    assert sum(len(frames[p]) for p in originals) == 400
    # an exact duplicate row inside one file, and messy NIKs survive writing
    assert any(df.duplicated().any() for df in frames.values())
    all_text = pd.concat([df.set_axis(range(14), axis=1) for df in frames.values()])
    assert all_text[0].str.contains(r"E\+15", na=False).any()


def test_reexport_has_updates_and_unchanged_rows(written):
    again = [p for p in written if p.name.endswith(" (1).xlsx")]
    assert len(again) == 1
    first = again[0].with_name(again[0].name.replace(" (1)", ""))
    assert first in written
    a = pd.read_excel(first, header=4, dtype=str).fillna("")
    b = pd.read_excel(again[0], header=4, dtype=str).fillna("")
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    assert list(a["NIK"]) == list(b["NIK"])
    changed = (a != b).any(axis=1)
    assert 2 <= changed.sum() <= 4
    assert (~changed).sum() >= 8
    diff_cols = set(a.columns[(a != b).any(axis=0)])
    assert diff_cols <= {"No. Telp/WA", "Alamat"}
    assert "No. Telp/WA" in diff_cols


def test_write_sample_deterministic(written, tmp_path):
    again = sample.write_sample(tmp_path / "b")
    assert [p.name for p in again] == [p.name for p in written]
    for p, q in zip(written, again, strict=True):
        if p.suffix == ".csv":
            assert p.read_bytes() == q.read_bytes(), p.name
    other = sample.write_sample(tmp_path / "c", seed=2027)
    csv_a = b"".join(p.read_bytes() for p in written if p.suffix == ".csv")
    csv_c = b"".join(p.read_bytes() for p in other if p.suffix == ".csv")
    assert csv_a != csv_c
