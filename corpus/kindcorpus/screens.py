"""Screenshots: local HTML documentation captured by headless Chromium, and synthetic terminals and application windows."""

from __future__ import annotations

import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SCREEN_SIZES = ((1280, 800), (1366, 768), (1920, 1080), (1440, 900), (1024, 768), (800, 600), (390, 844), (412, 915))
# The binary, not Debian's /usr/bin/chromium wrapper (under which a headless screenshot hung here); the virtual time
# budget ends the capture once the page has settled.
CHROMIUM = ("/usr/lib/chromium/chromium", "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--mute-audio", "--no-first-run", "--virtual-time-budget=2000",
            "--run-all-compositor-stages-before-draw")
THEMES = (((30, 30, 30), (220, 220, 220)), ((255, 255, 255), (20, 20, 20)), ((0, 43, 54), (131, 148, 150)),
          ((40, 42, 54), (248, 248, 242)), ((12, 12, 12), (0, 200, 0)), ((253, 246, 227), (88, 110, 117)))


def html_documents(skip_packages: set[str]) -> list[str]:
    """Every HTML page under /usr/share/doc/<package>/, sorted, except those of held-out packages."""
    return sorted(str(p) for p in Path("/usr/share/doc").rglob("*.html") if p.parts[4] not in skip_packages)


def capture_html(path: str, rng: random.Random) -> Image.Image | None:
    """A headless-Chromium screenshot of a local HTML page at a random screen size, sometimes in forced dark mode."""
    width, height = rng.choice(SCREEN_SIZES)
    extra = ["--blink-settings=forceDarkModeEnabled=true"] if rng.random() < 0.25 else []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "shot.png"
        command = [*CHROMIUM, f"--user-data-dir={tmp}/profile", f"--screenshot={out}", f"--window-size={width},{height}",
                   *extra, f"file://{path}"]
        try:
            subprocess.run(command, capture_output=True, timeout=90, check=False)
            return Image.open(out).convert("RGB") if out.exists() else None
        except (subprocess.SubprocessError, OSError):
            return None


def _window_frame(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], title: str, font, rng: random.Random) -> int:
    left, top, right, bottom = box
    bar = rng.choice(((235, 235, 235), (50, 50, 55), (60, 90, 150), (245, 245, 250)))
    draw.rectangle(box, fill=(250, 250, 250), outline=(120, 120, 120))
    draw.rectangle((left, top, right, top + 28), fill=bar)
    draw.text((left + 40, top + 7), title, font=font, fill=(255, 255, 255) if sum(bar) < 400 else (30, 30, 30))
    for i, colour in enumerate(((237, 106, 94), (245, 191, 79), (98, 197, 84))):
        draw.ellipse((right - 70 + i * 20, top + 9, right - 58 + i * 20, top + 21), fill=colour)
    return top + 28


def terminal(rng: random.Random, lines: list[str], mono: str) -> Image.Image:
    """A terminal window full of shell output in one of a few colour themes."""
    width, height = rng.choice(SCREEN_SIZES[:6])
    background, foreground = rng.choice(THEMES)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(mono, size=rng.randint(11, 20))
    top = _window_frame(draw, (0, 0, width - 1, height - 1), "user@host: ~", font, rng) if rng.random() < 0.6 else 0
    draw.rectangle((0, top, width, height), fill=background)
    y, start = top + 4, rng.randrange(max(1, len(lines) - 80))
    for line in lines[start:]:
        if y > height - font.size:
            break
        text = f"$ {line.strip()[:60]}" if rng.random() < 0.1 else line
        draw.text((6, y), text, font=font, fill=foreground)
        y += int(font.size * 1.25)
    return image


def app_window(rng: random.Random, lines: list[str], sans: str) -> Image.Image:
    """An application window: title bar, toolbar, sidebar list, content text, buttons, on a desktop colour."""
    width, height = rng.choice(SCREEN_SIZES)
    image = Image.new("RGB", (width, height), tuple(rng.randint(0, 255) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(sans, size=rng.randint(11, 16))
    inset = rng.choice((0, 0, 20, 60))
    box = (inset, inset, width - 1 - inset, height - 1 - inset - (40 if inset else 0))
    top = _window_frame(draw, box, rng.choice(lines).strip()[:40] or "Settings", font, rng)
    draw.rectangle((box[0], top, box[2], top + 34), fill=(238, 238, 238))
    for i in range(rng.randint(3, 8)):
        draw.rounded_rectangle((box[0] + 8 + i * 40, top + 5, box[0] + 40 + i * 40, top + 29), 4, fill=(210, 210, 215))
    side = rng.choice((0, 160, 220))
    if side:
        draw.rectangle((box[0], top + 34, box[0] + side, box[3]), fill=(228, 230, 235))
        for i, line in enumerate(lines[rng.randrange(max(1, len(lines) - 40)):][:30]):
            y = top + 44 + i * (font.size + 10)
            if y > box[3] - 20:
                break
            draw.text((box[0] + 12, y), line.strip()[:18], font=font, fill=(40, 40, 40))
    x, y = box[0] + side + 16, top + 48
    for line in lines[rng.randrange(max(1, len(lines) - 60)):]:
        if y > box[3] - 60:
            break
        draw.text((x, y), line.strip()[:90], font=font, fill=(20, 20, 20))
        y += font.size + rng.randint(4, 12)
    for i in range(rng.randint(1, 3)):
        draw.rounded_rectangle((box[2] - 110 * (i + 1), box[3] - 45, box[2] - 110 * i - 12, box[3] - 12), 6,
                               fill=rng.choice(((53, 132, 228), (220, 220, 220))))
    return image
