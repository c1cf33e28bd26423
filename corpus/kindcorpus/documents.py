"""Document pages: man pages typeset by groff (PostScript, rasterised by Ghostscript) or laid out as text pages,
some given a scanned look (skew, blur, paper tone, noise)."""

from __future__ import annotations

import gzip
import random
import subprocess
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

MAN_DIRS = ("/usr/share/man/man1", "/usr/share/man/man3", "/usr/share/man/man5", "/usr/share/man/man8")


def man_pages() -> list[str]:
    """Every installed English man page source, sorted."""
    return sorted(str(p) for d in MAN_DIRS if Path(d).is_dir() for p in Path(d).glob("*.gz"))


def _source(path: str) -> bytes:
    with gzip.open(path) as handle:
        return handle.read()


def _groff_page(path: str, rng: random.Random) -> Image.Image | None:
    """The first page(s) of a man page typeset to PostScript and rasterised at a random resolution."""
    try:
        ps = subprocess.run(["groff", "-man", "-Tps", "-P-pa4"], input=_source(path), capture_output=True, timeout=30).stdout
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "page.png"
            subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{rng.randint(40, 110)}",
                            "-dFirstPage=1", "-dLastPage=1", "-dTextAlphaBits=4", "-dGraphicsAlphaBits=4",
                            f"-sOutputFile={out}", "-"], input=ps, capture_output=True, timeout=60, check=True)
            return Image.open(out).convert("RGB")
    except (subprocess.SubprocessError, OSError):
        return None


def _text_lines(path: str) -> list[str]:
    text = subprocess.run(["groff", "-man", "-Tutf8", "-P-cbou"], input=_source(path), capture_output=True,
                          timeout=30).stdout.decode("utf-8", "replace")
    return [line.rstrip() for line in text.splitlines()]


def _text_page(path: str, rng: random.Random, fonts: list[str]) -> Image.Image:
    """Text of a man page laid out on a page in a random font, size, margin and one or two columns."""
    width = rng.randint(600, 1300)
    page = Image.new("RGB", (width, round(width * rng.choice((1.414, 1.294, 1.0, 0.75)))), (255, 255, 255))
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(rng.choice(fonts), size=max(9, width // rng.randint(45, 90)))
    lines = [line for line in _text_lines(path) if line.strip()] or ["(empty)"]
    start = rng.randrange(max(1, len(lines) - 20))
    columns = 2 if rng.random() < 0.2 else 1
    margin = rng.randint(20, width // 8)
    step = int(font.size * rng.uniform(1.15, 1.6))
    column_width = (width - 2 * margin) // columns
    index = start
    for column in range(columns):
        y = margin
        if column == 0 and rng.random() < 0.5:
            title = ImageFont.truetype(font.path, size=int(font.size * rng.uniform(1.5, 2.5)))
            draw.text((margin, y), lines[0].strip()[:40], font=title, fill=(0, 0, 0))
            y += int(title.size * 1.8)
        while y < page.height - margin and index < len(lines):
            text = lines[index].strip() if columns > 1 else lines[index]
            draw.text((margin + column * column_width, y), text[: column_width // max(1, font.size // 2)], font=font, fill=(0, 0, 0))
            y += step
            index += 1
    return page


def scanned(page: Image.Image, rng: random.Random) -> Image.Image:
    """A scanned or photographed look: paper tone, small rotation, blur, uneven light and sensor noise."""
    tone = tuple(rng.randint(215, 255) for _ in range(3))
    page = page.rotate(rng.uniform(-3, 3), resample=Image.BICUBIC, expand=True, fillcolor=tone)
    pixels = np.asarray(page, dtype=np.float32) * (np.array(tone) / 255.0)
    h, w = pixels.shape[:2]
    light = 1 - rng.uniform(0, 0.25) * np.linspace(0, 1, w)[None, :, None] ** rng.uniform(0.5, 2)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 10), pixels.shape)
    page = Image.fromarray(np.clip(pixels * light + noise, 0, 255).astype(np.uint8))
    return page.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))


def render_document(rng: random.Random, pages: list[str], fonts: list[str]) -> tuple[Image.Image, str]:
    """One document page and the man page it came from."""
    path = rng.choice(pages)
    page = _groff_page(path, rng) if rng.random() < 0.5 else None
    if page is None:
        page = _text_page(path, rng, fonts)
    if rng.random() < 0.3:  # a page seen partly, as a crop of a scan or a photo of a page shows it
        w, h = page.size
        page = page.crop((0, 0, w, rng.randint(h // 3, h)))
    return (scanned(page, rng) if rng.random() < 0.45 else page), path
