"""NIK (Nomor Induk Kependudukan): clean, check and decode, vectorized with numpy.

Layout: PP KK DD (province, kabupaten/kota, kecamatan of issue), DDMMYY (birth date, day
+40 for women), SSSS (serial, from 0001). python-stdnum's `stdnum.id.nik` is not used:
it reads YY as 19YY before 20YY (wrong for today's young alumni) and works per value.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from kebekerjaan.io import wilayah
from kebekerjaan.io.normalize.text import clean_text_array

__all__ = ["normalize_nik"]

# A NIK whose 20YY reading makes the person younger than this at `today` is 19YY.
MIN_AGE_FOR_20YY = 10

# "7.47101E+15" / "7,47101E+15": Excel showed the number in scientific notation and
# only ~6 significant digits survived.
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+")
# Separators people type inside a NIK, a leading apostrophe (Excel's text marker) and
# the ".0" a float leaves behind.
_STRIP = re.compile(r"^['’`]|\.0$|[\s.\-]")
_HAS_LETTER = re.compile(r"[^\W\d_]")

# Zero-padded code strings by integer value, for vectorized lookup: _CODE4[7471] == "7471".
_CODE2 = np.array([f"{i:02d}" for i in range(100)], dtype=object)
_CODE4 = np.array([f"{i:04d}" for i in range(10_000)], dtype=object)
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])

MSG_EMPTY = "NIK kosong"
MSG_SCIENTIFIC = (
    "NIK '{raw}' rusak karena Excel menyimpannya dalam notasi ilmiah; tidak dapat "
    "dipulihkan — ekspor ulang dengan kolom NIK sebagai teks"
)
MSG_LETTERS = "NIK '{raw}' mengandung huruf"
MSG_SYMBOLS = "NIK '{raw}' mengandung karakter selain angka"
MSG_LENGTH = "NIK '{raw}' tidak 16 digit ({count} digit)"
MSG_PROVINCE = "NIK '{raw}': kode provinsi '{code}' tidak dikenal"
MSG_BIRTH = "NIK '{raw}': bagian tanggal lahir '{part}' tidak mungkin"
MSG_SERIAL = "NIK '{raw}': nomor urut '0000' tidak mungkin"
FLAG_SEX = "jenis kelamin menurut NIK ({nik}) berbeda dengan isian ('{given}')"
FLAG_BIRTH = "tanggal lahir menurut NIK ({nik}) berbeda dengan isian ({given})"
FLAG_KABKOTA = "kode kabupaten/kota '{code}' di NIK tidak dikenal"
FLAG_KECAMATAN = "kode kecamatan '{code}' di NIK tidak dikenal"
FLAG_NUMBER = "NIK tersimpan sebagai angka di Excel; periksa digit terakhir"


def _is_number(x: object) -> bool:
    return (
        isinstance(x, (int, float, np.integer, np.floating))
        and not isinstance(x, (bool, np.bool_))
        and x == x  # not NaN
    )


def _reject_reason(text: str, stripped: str) -> str:
    """Why a cleaned cell is not 16 plain digits."""
    if not any(c.isalnum() for c in text):
        return MSG_EMPTY
    if _SCIENTIFIC.fullmatch(text.replace(" ", "")):
        return MSG_SCIENTIFIC.format(raw=text)
    if _HAS_LETTER.search(stripped):
        return MSG_LETTERS.format(raw=text)
    if not (stripped.isdigit() and stripped.isascii()):
        return MSG_SYMBOLS.format(raw=text)
    return MSG_LENGTH.format(raw=text, count=len(stripped))


def _aligned(other: object, index: pd.Index) -> np.ndarray:
    if not isinstance(other, pd.Series):
        other = pd.Series(other, index=index)
    elif not other.index.equals(index):
        other = other.reindex(index)
    return other.to_numpy(dtype=object)


def _date_parts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Day, month, year of python dates / Timestamps (-1 where missing or unreadable)."""
    ts = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
    return (
        ts.dt.day.fillna(-1).to_numpy(dtype=np.int64),
        ts.dt.month.fillna(-1).to_numpy(dtype=np.int64),
        ts.dt.year.fillna(-1).to_numpy(dtype=np.int64),
    )


def _add_flags(out: np.ndarray, rows: np.ndarray, messages: np.ndarray | list | str) -> None:
    """Append messages to out[rows], joining with "; " where a row already has one."""
    if len(rows) == 0:
        return
    if isinstance(messages, str):
        messages = np.full(len(rows), messages, dtype=object)
    else:
        messages = np.asarray(messages, dtype=object)
    current = out[rows]
    has = current != None  # noqa: E711 - elementwise on an object array
    out[rows[~has]] = messages[~has]
    if has.any():
        out[rows[has]] = [a + "; " + b for a, b in zip(current[has], messages[has], strict=True)]


def normalize_nik(
    values: pd.Series,
    sex: pd.Series | None = None,
    birth_date: pd.Series | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Check and decode NIKs; one row per input row, same index.

    Columns: `nik` (16 digits, or None with the reject reason in `error`), `flag` (notes
    that do not reject the row, joined by "; "), `nik_sex`, `nik_birth_date`,
    `prov_code`, `prov_name`, `kabkota_code`, `kabkota_name`. `sex` is 'L'/'P'/None;
    `birth_date` python dates or Timestamps (None/NaT allowed).
    """
    today = today or date.today()
    index = values.index
    raw = values.to_numpy(dtype=object)
    n = len(raw)

    nik = np.full(n, None, dtype=object)
    error = np.full(n, None, dtype=object)
    flag = np.full(n, None, dtype=object)
    # The text of each cell as the user will see it in messages.
    shown = np.full(n, None, dtype=object)

    # Fast path: text cells that are already 16 ASCII digits, as nearly all are.
    plain = np.fromiter(
        (type(x) is str and len(x) == 16 and x.isdigit() and x.isascii() for x in raw),
        dtype=bool,
        count=n,
    )
    nik[plain] = raw[plain]
    shown[plain] = raw[plain]

    other = np.flatnonzero(~plain)
    if len(other):
        texts = clean_text_array(pd.Series(raw[other], dtype=object))
        numbers = np.fromiter((_is_number(x) for x in raw[other]), dtype=bool, count=len(other))
        # Also on rejected rows: it explains a damaged NIK.
        _add_flags(flag, other[numbers & (texts != None)], FLAG_NUMBER)  # noqa: E711
        shown[other] = texts
        stripped = np.array(
            [None if t is None else _STRIP.sub("", t) for t in texts.tolist()], dtype=object
        )
        good = np.array(
            [s is not None and len(s) == 16 and s.isdigit() and s.isascii() for s in stripped],
            dtype=bool,
        )
        nik[other[good]] = stripped[good]
        bad = np.flatnonzero(~good)
        error[other[bad]] = [
            MSG_EMPTY if texts[j] is None else _reject_reason(texts[j], stripped[j]) for j in bad
        ]

    cand = np.flatnonzero(nik != None)  # noqa: E711
    m = len(cand)
    nik_sex = np.full(n, None, dtype=object)
    nik_birth = np.full(n, None, dtype=object)
    prov_code = np.full(n, None, dtype=object)
    prov_name = np.full(n, None, dtype=object)
    kab_code = np.full(n, None, dtype=object)
    kab_name = np.full(n, None, dtype=object)

    if m:
        as_bytes = np.array(nik[cand].tolist(), dtype="S16")
        d = as_bytes.view(np.uint8).reshape(m, 16).astype(np.int64) - ord("0")
        prov = d[:, 0] * 10 + d[:, 1]
        kab = prov * 100 + d[:, 2] * 10 + d[:, 3]
        kec = kab * 100 + d[:, 4] * 10 + d[:, 5]
        dd = d[:, 6] * 10 + d[:, 7]
        mm = d[:, 8] * 10 + d[:, 9]
        yy = d[:, 10] * 10 + d[:, 11]
        serial_zero = (d[:, 12:] == 0).all(axis=1)

        female = dd > 40
        day = np.where(female, dd - 40, dd)
        # 20YY unless that makes the person younger than MIN_AGE_FOR_20YY today.
        today_key = today.year * 10000 + today.month * 100 + today.day
        old_enough = (2000 + yy + MIN_AGE_FOR_20YY) * 10000 + mm * 100 + day <= today_key
        year = np.where(old_enough, 2000 + yy, 1900 + yy)
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        max_day = _DAYS_IN_MONTH[np.clip(mm, 0, 12)] + ((mm == 2) & leap)
        date_ok = (mm >= 1) & (mm <= 12) & (day >= 1) & (day <= max_day) & ((dd <= 31) | (dd >= 41))

        t = wilayah.tables()
        prov_ok = t.prov_known[prov]
        bad_prov = ~prov_ok
        bad_date = prov_ok & ~date_ok
        bad_serial = prov_ok & date_ok & serial_zero
        cand_list = nik[cand]
        for j in np.flatnonzero(bad_prov):
            error[cand[j]] = MSG_PROVINCE.format(raw=shown[cand[j]], code=cand_list[j][:2])
        for j in np.flatnonzero(bad_date):
            error[cand[j]] = MSG_BIRTH.format(raw=shown[cand[j]], part=cand_list[j][6:12])
        for j in np.flatnonzero(bad_serial):
            error[cand[j]] = MSG_SERIAL.format(raw=shown[cand[j]])

        ok = ~(bad_prov | bad_date | bad_serial)
        nik[cand[~ok]] = None
        rows = cand[ok]
        sel = np.flatnonzero(ok)
        sex_code = np.where(female[sel], "P", "L").astype(object)
        nik_sex[rows] = sex_code
        birth = (
            (year[sel] - 1970).astype("datetime64[Y]") + (mm[sel] - 1).astype("timedelta64[M]")
        ).astype("datetime64[D]") + (day[sel] - 1).astype("timedelta64[D]")
        nik_birth[rows] = birth.astype(object)
        prov_code[rows] = _CODE2[prov[sel]]
        kab_code[rows] = _CODE4[kab[sel]]
        prov_name[rows] = t.prov_name[prov[sel]]
        kab_name[rows] = t.kabkota_name[kab[sel]]

        # Flags, on accepted NIKs only.
        if sex is not None:
            given = _aligned(sex, index)[rows]
            differs = ((given == "L") | (given == "P")) & (given != sex_code)
            for nik_sex_code, said in (("P", "perempuan"), ("L", "laki-laki")):
                hit = differs & (sex_code == nik_sex_code)
                other_code = "L" if nik_sex_code == "P" else "P"
                _add_flags(flag, rows[hit], FLAG_SEX.format(nik=said, given=other_code))

        if birth_date is not None:
            g_day, g_month, g_year = _date_parts(_aligned(birth_date, index)[rows])
            # Compare DD MM YY only: the NIK's century is inferred, the form has the real one.
            differs = (g_day >= 0) & (
                (g_day != day[sel]) | (g_month != mm[sel]) | (g_year % 100 != yy[sel])
            )
            hit = np.flatnonzero(differs)
            if len(hit):
                parts = zip(
                    day[sel][hit].tolist(),
                    mm[sel][hit].tolist(),
                    year[sel][hit].tolist(),
                    g_day[hit].tolist(),
                    g_month[hit].tolist(),
                    g_year[hit].tolist(),
                    strict=True,
                )
                messages = [
                    FLAG_BIRTH.format(
                        nik=f"{a:02d}-{b:02d}-{c:04d}", given=f"{x:02d}-{y:02d}-{z:04d}"
                    )
                    for a, b, c, x, y, z in parts
                ]
                _add_flags(flag, rows[hit], messages)

        bad_kab = ~t.kabkota_known[kab[sel]]
        _add_flags(
            flag, rows[bad_kab], [FLAG_KABKOTA.format(code=c) for c in kab_code[rows[bad_kab]]]
        )
        bad_kec = ~bad_kab & ~t.kecamatan_known[kec[sel]]
        _add_flags(
            flag, rows[bad_kec], [FLAG_KECAMATAN.format(code=s[:6]) for s in nik[rows[bad_kec]]]
        )

    return pd.DataFrame(
        {
            "nik": nik,
            "error": error,
            "flag": flag,
            "nik_sex": nik_sex,
            "nik_birth_date": nik_birth,
            "prov_code": prov_code,
            "prov_name": prov_name,
            "kabkota_code": kab_code,
            "kabkota_name": kab_name,
        },
        index=index,
    )
