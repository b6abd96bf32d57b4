"""Square vacancy posters (1080x1080 PNG) for Instagram and WhatsApp status.

Whatever the text length, nothing leaves the canvas: each text is wrapped to its column,
the font shrinks down to a minimum, a text still too long is cut with an ellipsis, and a
list of vacancies that does not fit one poster at the minimum size is spread over several
posters numbered "1/2", "2/2". `layout` returns every text box it will draw (with its
real pixel bounding box), so tests can check the rules without reading pixels.

Black or white text on white or a dark band only: readable when printed in grey.
The wording comes from a template (templates/pesan/lowongan_poster.j2) in a tiny line
format, see `parse_poster_text`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from kebekerjaan.core import outfiles

SIZE = 1080
MARGIN = 48  # outer strip that stays background-coloured
PAD = 32  # inner padding of the header band and the body
BACKGROUND = (255, 255, 255)
INK = (0, 0, 0)
BAND = (15, 38, 77)  # dark navy: white text on it stays readable in grey print
BAND_INK = (255, 255, 255)
RULE = (110, 110, 110)
ELLIPSIS = "…"

TITLE_SIZES = (72, 40)  # (largest, smallest) font size in pixels
SUBTITLE_SIZES = (44, 26)
BODY_SIZES = (36, 20)
FOOTER_SIZES = (28, 18)
LINE_SPACING = 1.18
# Regular and bold fonts tried in order: DejaVu (Linux), Arial (Windows), Liberation.
FONT_CANDIDATES = {
    False: ("DejaVuSans.ttf", "arial.ttf", "Arial.ttf", "LiberationSans-Regular.ttf"),
    True: ("DejaVuSans-Bold.ttf", "arialbd.ttf", "Arial Bold.ttf", "LiberationSans-Bold.ttf"),
}


@dataclass(frozen=True)
class Entry:
    heading: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class PosterContent:
    title: str
    subtitle: str
    entries: tuple[Entry, ...]
    footer: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextBox:
    text: str
    xy: tuple[int, int]
    size: int
    bold: bool
    fill: tuple[int, int, int]
    background: tuple[int, int, int]  # colour under the text, for contrast checks
    bbox: tuple[int, int, int, int]  # drawn pixels (left, top, right, bottom)


@dataclass
class PosterPage:
    number: int
    total: int
    boxes: list[TextBox] = field(default_factory=list)
    rects: list[tuple[tuple[int, int, int, int], tuple[int, int, int]]] = field(default_factory=list)
    body_size: int = 0

    @property
    def label(self) -> str:
        return f"{self.number}/{self.total}" if self.total > 1 else ""

    def render(self) -> Image.Image:
        img = Image.new("RGB", (SIZE, SIZE), BACKGROUND)
        draw = ImageDraw.Draw(img)
        for box, fill in self.rects:
            draw.rectangle(box, fill=fill)
        for t in self.boxes:
            draw.text(t.xy, t.text, font=font(t.size, t.bold), fill=t.fill)
        return img


# --- fonts and measuring -------------------------------------------------------------------


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    for name in FONT_CANDIDATES[bold]:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    # Pillow >= 10.1 ships a scalable font (no bold: headings differ by size instead).
    return ImageFont.load_default(size=size)


def line_height(size: int, bold: bool = False) -> int:
    ascent, descent = font(size, bold).getmetrics()
    return int((ascent + descent) * LINE_SPACING)


def _width(text: str, size: int, bold: bool) -> float:
    return font(size, bold).getlength(text)


def wrap(text: str, size: int, bold: bool, width: int) -> list[str]:
    """Greedy word wrap to `width` pixels; a word longer than a line is cut inside."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while _width(word, size, bold) > width:  # e.g. a long link
            cut = max(1, _fit_prefix(word, size, bold, width))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _fit_prefix(text: str, size: int, bold: bool, width: int) -> int:
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(text[:mid], size, bold) <= width:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _truncate(lines: list[str], max_lines: int, size: int, bold: bool, width: int) -> list[str]:
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    last = kept[-1]
    while last and _width(last + ELLIPSIS, size, bold) > width:
        last = last[:-1].rstrip()
    kept[-1] = last + ELLIPSIS
    return kept


def fit(text: str, sizes: tuple[int, int], bold: bool, width: int,
        max_lines: int) -> tuple[int, list[str]]:
    """Largest size in `sizes` at which `text` wraps into max_lines; else cut at the smallest."""
    largest, smallest = sizes
    for size in range(largest, smallest - 1, -2):
        lines = wrap(text, size, bold, width)
        if len(lines) <= max_lines:
            return size, lines
    return smallest, _truncate(wrap(text, smallest, bold, width), max_lines, smallest, bold, width)


# --- layout --------------------------------------------------------------------------------

INNER = SIZE - 2 * MARGIN  # width of the band and the body
TEXT_W = INNER - 2 * PAD  # width available to a line of text
HEADING_LINES, LINE_LINES = 2, 2  # at most this many wrapped lines per heading / per line
MAX_ENTRY_LINES = 8  # a single entry never grows taller than this many body lines


def _entry_lines(entry: Entry, size: int) -> list[tuple[str, int, bool]]:
    """(text, size, bold) of every wrapped line of one entry at body size `size`."""
    head = round(size * 1.15)
    out = [(t, head, True) for t in
           _truncate(wrap(entry.heading, head, True, TEXT_W), HEADING_LINES, head, True, TEXT_W)]
    for line in entry.lines:
        wrapped = _truncate(wrap(line, size, False, TEXT_W), LINE_LINES, size, False, TEXT_W)
        out += [(t, size, False) for t in wrapped]
    heading_count = len(out) - sum(1 for *_, b in out if not b)
    return out[: heading_count + MAX_ENTRY_LINES]


def _entries_height(entries: list[Entry], size: int) -> int:
    gap = _entry_gap(size)
    total = sum(sum(line_height(s, b) for _, s, b in _entry_lines(e, size)) for e in entries)
    return total + gap * max(len(entries) - 1, 0)


def _entry_gap(size: int) -> int:
    return int(size * 0.8)  # room for the rule between two entries


def _body_size(entries: list[Entry], height: int) -> int | None:
    """Largest body font size at which `entries` fit `height`; None if none does."""
    largest, smallest = BODY_SIZES
    for size in range(largest, smallest - 1, -2):
        if _entries_height(entries, size) <= height:
            return size
    return None


def _paginate(entries: list[Entry], height: int) -> list[list[Entry]]:
    if _body_size(entries, height) is not None:
        return [entries]
    smallest = BODY_SIZES[1]
    pages: list[list[Entry]] = [[]]
    for entry in entries:  # greedy at the smallest size gives the number of pages
        if pages[-1] and _entries_height([*pages[-1], entry], smallest) > height:
            pages.append([])
        pages[-1].append(entry)
    # Then spread the entries evenly over that many pages, if they still fit.
    n = len(pages)
    per, extra = divmod(len(entries), n)
    even, start = [], 0
    for i in range(n):
        stop = start + per + (1 if i < extra else 0)
        even.append(entries[start:stop])
        start = stop
    if all(_body_size(p, height) is not None for p in even):
        return even
    return pages


def layout(content: PosterContent) -> list[PosterPage]:
    """Place every text of `content` on one or more 1080x1080 pages."""
    # Header band: title and subtitle, white on dark.
    t_size, t_lines = fit(content.title, TITLE_SIZES, True, TEXT_W, 2)
    s_size, s_lines = fit(content.subtitle, SUBTITLE_SIZES, True, TEXT_W, 2)
    band_top = MARGIN
    band_h = (PAD + len(t_lines) * line_height(t_size, True) + 8
              + len(s_lines) * line_height(s_size, True) + PAD)
    band_bottom = band_top + band_h
    # Footer: rule, then institution lines; the right column holds the page label.
    label_w = int(_width("99/99", FOOTER_SIZES[0], True)) + PAD
    footer = [fit(t, FOOTER_SIZES, i == 0, TEXT_W - label_w, 2) for i, t in
              enumerate(content.footer)]
    footer_h = sum(len(lines) * line_height(size, i == 0) for i, (size, lines) in enumerate(footer))
    footer_top = SIZE - MARGIN - PAD // 2 - footer_h
    body_top = band_bottom + PAD
    body_bottom = footer_top - PAD
    body_h = body_bottom - body_top

    chunks = _paginate(list(content.entries), body_h) if content.entries else [[]]
    pages = []
    for number, chunk in enumerate(chunks, start=1):
        page = PosterPage(number, len(chunks))
        page.rects.append(((MARGIN, band_top, SIZE - MARGIN - 1, band_bottom), BAND))
        y = band_top + PAD
        for lines, size in ((t_lines, t_size), (s_lines, s_size)):
            for text in lines:
                _place(page, text, MARGIN + PAD, y, size, True, BAND_INK, BAND)
                y += line_height(size, True)
            y += 8
        # Body: each vacancy, a thin rule between two.
        size = _body_size(chunk, body_h) or BODY_SIZES[1]
        page.body_size = size
        y = body_top
        for i, entry in enumerate(chunk):
            if i:
                rule_y = y + _entry_gap(size) // 2
                page.rects.append(((MARGIN + PAD, rule_y, SIZE - MARGIN - PAD - 1, rule_y + 1), RULE))
                y += _entry_gap(size)
            for text, s, bold in _entry_lines(entry, size):
                if y + line_height(s, bold) > body_bottom:  # only a pathological entry gets here
                    break
                _place(page, text, MARGIN + PAD, y, s, bold, INK, BACKGROUND)
                y += line_height(s, bold)
        # Footer.
        rule_y = footer_top - PAD // 2
        page.rects.append(((MARGIN + PAD, rule_y, SIZE - MARGIN - PAD - 1, rule_y + 2), INK))
        y = footer_top
        for i, (fsize, lines) in enumerate(footer):
            for text in lines:
                _place(page, text, MARGIN + PAD, y, fsize, i == 0, INK, BACKGROUND)
                y += line_height(fsize, i == 0)
        if page.label:
            w = _width(page.label, FOOTER_SIZES[0], True)
            _place(page, page.label, int(SIZE - MARGIN - PAD - w), footer_top, FOOTER_SIZES[0],
                   True, INK, BACKGROUND)
        pages.append(page)
    return pages


_MEASURE = ImageDraw.Draw(Image.new("RGB", (1, 1)))


def _place(page: PosterPage, text: str, x: int, y: int, size: int, bold: bool, fill, background):
    bbox = tuple(int(v) for v in _MEASURE.textbbox((x, y), text, font=font(size, bold)))
    page.boxes.append(TextBox(text, (x, y), size, bold, fill, background, bbox))


# --- template text and files ---------------------------------------------------------------

PREFIXES = {"JUDUL:": "title", "SUBJUDUL:": "subtitle", "LOWONGAN:": "entry", "KAKI:": "footer"}


def parse_poster_text(text: str) -> PosterContent:
    """Read the poster template's output: one item per line.

    `JUDUL: ...` title, `SUBJUDUL: ...` subtitle, `LOWONGAN: ...` starts a vacancy (its
    heading), plain lines are details of the current vacancy, `KAKI: ...` footer lines.
    """
    title = subtitle = ""
    entries: list[tuple[str, list[str]]] = []
    footer: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        kind = next((k for p, k in PREFIXES.items() if line.upper().startswith(p)), None)
        value = line.split(":", 1)[1].strip() if kind else line
        if kind == "title":
            title = value
        elif kind == "subtitle":
            subtitle = value
        elif kind == "entry":
            entries.append((value, []))
        elif kind == "footer":
            footer.append(value)
        elif entries:
            entries[-1][1].append(value)
    return PosterContent(title, subtitle, tuple(Entry(h, tuple(ls)) for h, ls in entries),
                         tuple(footer))


def write_posters(content: PosterContent, folder: Path, stem: str) -> list[Path]:
    """`<stem>.png`, or `<stem>_1-dari-2.png`... when the vacancies need several posters."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pages = layout(content)
    paths = []
    for page in pages:
        name = f"{stem}.png" if page.total == 1 else f"{stem}_{page.number}-dari-{page.total}.png"
        image = page.render()
        paths.append(outfiles.write_with(folder / name,
                                         lambda tmp, image=image: image.save(tmp, format="PNG",
                                                                             optimize=True)))
    return paths
