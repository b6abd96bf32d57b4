"""The letter parts of the report: letterhead (kop surat), title and document number,
signature block, and the file name the runner gives the rendered report."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from kebekerjaan.core.config import Settings
from kebekerjaan.core.errors import ConfigError
from kebekerjaan.io.formatting import nip, tanggal
from kebekerjaan.steps.report.html import Html
from kebekerjaan.steps.report.options import placeholder_signer, report_options

# A display_data output with this mimetype tells the runner (and anyone reading the
# executed notebook) what the report is; nbconvert's HTML ignores it.
META_MIMETYPE = "application/vnd.kebekerjaan.laporan+json"


def document_number(settings: Settings, period_label: str) -> str:
    """`[report] document_number` with {nomor_sop}, {periode}, {tahun} filled in."""
    pattern = settings.report.document_number
    fields = {"nomor_sop": settings.sop.number, "periode": period_label,
              "tahun": str(period_label)[:4], "singkatan": settings.institution.short_name}
    try:
        return pattern.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise ConfigError(
            f"'report.document_number' memakai isian yang tidak dikenal ({exc}); yang dikenal: "
            + ", ".join("{" + k + "}" for k in fields) + "."
        ) from None


def file_stem(period_label: str) -> str:
    return f"laporan_kebekerjaan_{period_label}"


LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".svg": "image/svg+xml"}


def logo_img(path: Path | None) -> str:
    """The logo as an inline <img>; '' when none is set. A set logo that cannot be read
    is a ConfigError (a report without the logo its settings ask for is a wrong report)."""
    if path is None:
        return ""
    kind = LOGO_TYPES.get(path.suffix.lower())
    if kind is None:
        raise ConfigError(f"'report.logo': berkas {path.name} bukan PNG, JPG atau SVG.")
    try:
        data = base64.b64encode(path.read_bytes()).decode("ascii")
    except OSError:
        raise ConfigError(f"'report.logo': berkas logo {path} tidak dapat dibaca "
                          "(periksa nama dan foldernya).") from None
    return f'<img class="logo" src="data:{kind};base64,{data}" alt="Logo">'


def letterhead(settings: Settings, logo: Path | None = None) -> str:
    """Kop surat: logo slot on the left (empty without a logo), the lines centred beside it."""
    i = settings.institution
    contact = " · ".join(x for x in (
        f"Telepon {i.phone}" if i.phone else "",
        f"Surel {i.email}" if i.email else "",
        i.website.removeprefix("https://").removeprefix("http://"),
    ) if x)
    lines = [
        ("kop-induk", i.parent), ("kop-unit", i.unit), ("kop-nama", i.name),
        ("kop-alamat", i.address), ("kop-kontak", contact),
    ]
    body = "".join(f'<div class="{css}">{escape(text)}</div>' for css, text in lines if text)
    return (f'<header class="kop"><div class="kop-logo">{logo_img(logo)}</div>'
            f'<div class="kop-teks">{body}</div></header>')


def title_block(settings: Settings, recap, number: str, provisional: bool = False) -> str:
    title = report_options(settings).title
    status = ""
    if provisional:
        status = ('<div class="sementara">LAPORAN SEMENTARA · periode berjalan sampai '
                  f'{escape(tanggal(recap.period.end))}; angka masih dapat berubah</div>')
    return (
        '<section class="judul">'
        f'<h1>{escape(title)}</h1>'
        f'<div class="periode-judul">{escape(recap.period.title)}</div>'
        f'<div class="nomor">Nomor: <span class="nomor-dok">{escape(number)}</span></div>'
        f'<div class="keadaan">Keadaan data per {escape(tanggal(recap.as_of))} · '
        f'SOP {escape(settings.sop.number)} {escape(settings.sop.title)}</div>'
        f"{status}</section>"
    )


def front_matter(settings: Settings, recap, logo: Path | None = None,
                 provisional: bool = False) -> Html:
    """Letterhead and title, plus the machine-readable report metadata."""
    number = document_number(settings, recap.period.label)
    meta = {"berkas": file_stem(recap.period.label), "nomor": number,
            "periode": recap.period.label, "judul_periode": recap.period.title,
            "tanggal_acuan": recap.as_of.isoformat(), "sementara": provisional}
    # The running header/footer of every printed page takes its text from these
    # elements (CSS string-set), so the template needs no knowledge of the workspace.
    state = " · SEMENTARA" if provisional else ""
    running = (f'<div class="berjalan"><span class="berjalan-nomor">{escape(number)}</span>'
               f'<span class="berjalan-periode">{escape(recap.period.title + state)}</span>'
               f'<span class="berjalan-instansi">{escape(settings.institution.short_name)}'
               "</span></div>")
    return Html(running + letterhead(settings, logo)
                + title_block(settings, recap, number, provisional), {META_MIMETYPE: meta})


CLOSING = ("Demikian laporan ini disampaikan sebagai bahan evaluasi pelatihan dan tindak lanjut "
           "penempatan alumni. Lampiran memuat definisi istilah dan daftar alumni yang bekerja "
           "atau berwirausaha.")
FULL_DATA = ("Rincian lengkap setiap tabel dan daftar alumni per nama ada pada berkas {workbook} "
             "hasil langkah 8.")


def closing(settings: Settings, when, workbook: str = "") -> Html:
    text = CLOSING + (" " + FULL_DATA.format(workbook=workbook) if workbook else "")
    return Html(f'<section class="penutup"><p>{escape(text)}</p>{signature(settings, when)}</section>')


def signature(settings: Settings, when) -> Html:
    """The head's signature block; marked CONTOH across it while the signer is still the
    sample of defaults.toml (a report nobody may sign as it is)."""
    i = settings.institution
    city = report_options(settings).signature_city
    sample = placeholder_signer(settings)
    mark = ('<div class="contoh" title="Penanda tangan masih contoh">CONTOH</div>'
            if sample else "")
    return Html(
        f'<div class="tanda-tangan{" ttd-contoh" if sample else ""}">{mark}'
        f'<div>{escape(city)}, {escape(tanggal(when))}</div>'
        f'<div class="jabatan">{escape(i.head_title)},</div>'
        '<div class="ruang-ttd"></div>'
        f'<div class="nama-kepala">{escape(i.head_name)}</div>'
        f'<div>NIP {escape(nip(i.head_nip))}</div>'
        "</div>"
    )


SAMPLE_SIGNER_NOTE = ("Penanda tangan laporan masih contoh (nama dan NIP kepala balai bawaan): "
                      "isi head_name, head_nip dan head_title di bagian [institution] "
                      "kebekerjaan.toml. Blok tanda tangan laporan ini bertanda CONTOH.")
