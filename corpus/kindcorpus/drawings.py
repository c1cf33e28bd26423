"""Drawings: icon-theme SVGs rasterised by rsvg-convert in random colours over plain, gradient or textured
backgrounds, and flat-colour clip-art scenes drawn from shapes."""

from __future__ import annotations

import io
import random
import re
import subprocess
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SVG_ROOTS = ("/usr/share/icons", "/usr/share/matplotlib/mpl-data/images")
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


def svg_files() -> list[str]:
    """Every SVG of the installed icon themes and matplotlib's toolbar images, sorted."""
    return sorted(str(p) for root in SVG_ROOTS for p in Path(root).rglob("*.svg"))


def _colour(rng: random.Random) -> tuple[int, int, int]:
    return tuple(rng.randint(0, 255) for _ in range(3))


def rasterise(path: str, size: int, rng: random.Random) -> Image.Image | None:
    """An SVG rendered at size x size with its colours replaced by a random palette (RGBA)."""
    text = Path(path).read_text(errors="replace")
    palette: dict[str, str] = {}
    text = HEX.sub(lambda m: palette.setdefault(m.group(0).lower(), "#%02x%02x%02x" % _colour(rng)), text)
    if "fill=" not in text and "fill:" not in text:
        text = text.replace("<svg", f'<svg fill="#{rng.randrange(16**6):06x}"', 1)
    try:
        png = subprocess.run(["rsvg-convert", "-w", str(size), "-h", str(size)], input=text.encode(),
                             capture_output=True, timeout=30, check=True).stdout
        return Image.open(io.BytesIO(png)).convert("RGBA")
    except (subprocess.SubprocessError, OSError):
        return None


def background(size: tuple[int, int], rng: random.Random) -> Image.Image:
    """A plain, gradient or noisy-texture background."""
    w, h = size
    style = rng.choice(("plain", "plain", "gradient", "texture"))
    if style == "plain":
        return Image.new("RGB", size, _colour(rng) if rng.random() < 0.6 else (255, 255, 255))
    a, b = np.array(_colour(rng), dtype=np.float32), np.array(_colour(rng), dtype=np.float32)
    t = np.linspace(0, 1, h)[:, None, None] * np.ones((1, w, 1))
    pixels = a * (1 - t) + b * t
    if style == "texture":
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 1, (h // 8 + 1, w // 8 + 1))
        noise = np.asarray(Image.fromarray(((noise + 3) * 40).clip(0, 255).astype(np.uint8)).resize((w, h), Image.BICUBIC))
        pixels = pixels + (noise[:, :, None].astype(np.float32) - 120) * 0.4
    return Image.fromarray(pixels.clip(0, 255).astype(np.uint8))


def icon_drawing(rng: random.Random, svgs: list[str]) -> tuple[Image.Image, str]:
    """One to six recoloured icons placed on a background, and the first icon's path."""
    w, h = rng.choice(((512, 512), (800, 600), (600, 800), (1024, 768), (400, 300)))
    canvas = background((w, h), rng)
    first = ""
    for _ in range(1 if rng.random() < 0.6 else rng.randint(2, 6)):
        path = rng.choice(svgs)
        first = first or path
        size = rng.randint(min(w, h) // 4, min(w, h))
        icon = rasterise(path, size, rng)
        if icon is not None:
            canvas.paste(icon, (rng.randint(0, w - size), rng.randint(0, h - size)), icon)
    return canvas, first


def clipart_scene(rng: random.Random) -> Image.Image:
    """A flat-colour cartoon scene: sky, sun, hills, houses, trees and clouds with outlines."""
    w, h = rng.choice(((800, 600), (640, 480), (1024, 768), (600, 600)))
    image = Image.new("RGB", (w, h), _colour(rng) if rng.random() < 0.3 else (rng.randint(90, 180), rng.randint(160, 220), 255))
    draw = ImageDraw.Draw(image)
    line = rng.choice((0, 2, 3, 5))
    outline = (20, 20, 20) if line else None
    r = rng.randint(30, 80)
    sx, sy = rng.randint(r, w - r), rng.randint(r, h // 3)
    draw.ellipse((sx - r, sy - r, sx + r, sy + r), fill=(255, rng.randint(180, 230), 0), outline=outline, width=line)
    for _ in range(rng.randint(1, 4)):
        cx, cy, cr = rng.randint(0, w), rng.randint(h // 2, h), rng.randint(w // 4, w)
        draw.ellipse((cx - cr, cy - cr // 3, cx + cr, cy + cr), fill=(rng.randint(40, 120), rng.randint(140, 220), rng.randint(40, 100)), outline=outline, width=line)
    for _ in range(rng.randint(0, 4)):
        x, y, s = rng.randint(0, w - 60), rng.randint(h // 2, h - 60), rng.randint(40, 120)
        draw.rectangle((x, y, x + s, y + s), fill=_colour(rng), outline=outline, width=line)
        draw.polygon(((x - 10, y), (x + s // 2, y - s // 2), (x + s + 10, y)), fill=_colour(rng), outline=outline)
        draw.rectangle((x + s // 3, y + s // 2, x + 2 * s // 3, y + s), fill=_colour(rng), outline=outline, width=line)
    for _ in range(rng.randint(0, 5)):
        x, y, s = rng.randint(0, w), rng.randint(h // 2, h), rng.randint(20, 60)
        draw.rectangle((x - s // 6, y, x + s // 6, y + s), fill=(110, 70, 30), outline=outline, width=line)
        draw.ellipse((x - s, y - 2 * s, x + s, y + s // 3), fill=(30, rng.randint(110, 180), 40), outline=outline, width=line)
    for _ in range(rng.randint(0, 4)):
        x, y, s = rng.randint(0, w), rng.randint(0, h // 3), rng.randint(30, 80)
        for dx in (-s, 0, s):
            draw.ellipse((x + dx - s, y - s // 2, x + dx + s, y + s // 2), fill=(255, 255, 255), outline=outline, width=line)
    return image
