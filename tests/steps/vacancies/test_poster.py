"""Vacancy posters: always 1080x1080, text inside the margins, readable in grey print."""

from __future__ import annotations

import pytest
from PIL import Image

from kebekerjaan.steps.vacancies.poster import (
    MARGIN,
    SIZE,
    Entry,
    PosterContent,
    layout,
    parse_poster_text,
    write_posters,
)

FOOTER = ("Balai Pelatihan Vokasi dan Produktivitas Kendari", "Info: (0401) 3195170")


def content(n, heading="Juru Las SMAW", detail="PT Sultra Mandiri Teknik — Kendari",
            subtitle="Las"):
    entries = tuple(Entry(f"{heading} {i}", (detail, "Min. SMK · 3 orang · s.d. 15 Des 2026"))
                    for i in range(1, n + 1))
    return PosterContent("LOWONGAN KERJA", subtitle, entries, FOOTER)


LONG = "Teknisi Pemeliharaan Instalasi Listrik Tegangan Menengah dan Panel Distribusi " * 6
CASES = {
    "one": content(1),
    "twelve": content(12),
    "very long text": content(3, heading=LONG, detail="https://karier." + "x" * 400 + ".example.id",
                              subtitle="Teknologi Informasi dan Komunikasi " * 5),
}


def luminance(rgb):
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("name", CASES)
def test_every_text_box_stays_inside_the_margins(name):
    pages = layout(CASES[name])
    for page in pages:
        assert page.boxes
        for box in page.boxes:
            left, top, right, bottom = box.bbox
            assert MARGIN <= left and right <= SIZE - MARGIN, (box.text, box.bbox)
            assert MARGIN <= top and bottom <= SIZE - MARGIN, (box.text, box.bbox)


@pytest.mark.parametrize("name", CASES)
def test_png_is_exactly_1080_square_with_a_clean_border(name, tmp_path):
    paths = write_posters(CASES[name], tmp_path, "poster")
    assert paths
    for path in paths:
        img = Image.open(path).convert("RGB")
        assert img.size == (1080, 1080)
        strips = [img.crop((0, 0, SIZE, MARGIN)), img.crop((0, SIZE - MARGIN, SIZE, SIZE)),
                  img.crop((0, 0, MARGIN, SIZE)), img.crop((SIZE - MARGIN, 0, SIZE, SIZE))]
        for strip in strips:
            assert strip.getcolors() == [(strip.width * strip.height, (255, 255, 255))], path.name


def test_one_vacancy_is_one_poster_in_a_large_font():
    (page,) = layout(CASES["one"])
    assert page.total == 1 and page.label == ""
    assert page.body_size >= 30


def test_twelve_vacancies_spread_over_numbered_posters():
    pages = layout(CASES["twelve"])
    assert len(pages) >= 2
    assert [p.label for p in pages] == [f"{i}/{len(pages)}" for i in range(1, len(pages) + 1)]
    headings = [b.text for p in pages for b in p.boxes if b.text.startswith("Juru Las SMAW")]
    assert headings == [f"Juru Las SMAW {i}" for i in range(1, 13)]  # each once, in order
    for page in pages:
        assert any(b.text == page.label for b in page.boxes)
        assert page.body_size >= 20


def test_very_long_text_is_cut_with_an_ellipsis_not_dropped():
    pages = layout(CASES["very long text"])
    texts = [b.text for p in pages for b in p.boxes]
    assert any(t.endswith("…") for t in texts)
    assert sum(t.startswith("Teknisi Pemeliharaan") for t in texts) == 3  # all three vacancies


@pytest.mark.parametrize("name", CASES)
def test_text_contrast_is_high_enough_for_grey_print(name):
    for page in layout(CASES[name]):
        for box in page.boxes:
            assert contrast(box.fill, box.background) >= 7, box.text  # WCAG AAA


def test_the_template_line_format_is_read_into_poster_parts():
    text = """JUDUL: LOWONGAN KERJA
SUBJUDUL: Las

LOWONGAN: Juru Las SMAW
PT Sultra Mandiri Teknik — Kendari
Min. SMK
LOWONGAN: Juru Las FCAW
KAKI: BPVP Kendari
"""
    got = parse_poster_text(text)
    assert (got.title, got.subtitle, got.footer) == ("LOWONGAN KERJA", "Las", ("BPVP Kendari",))
    assert got.entries == (Entry("Juru Las SMAW", ("PT Sultra Mandiri Teknik — Kendari", "Min. SMK")),
                           Entry("Juru Las FCAW", ()))
