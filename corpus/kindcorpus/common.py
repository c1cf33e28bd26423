"""What every source shares: the kinds, the excluded files, fonts, and how an image is written to the corpus."""

from __future__ import annotations

import json
import os
import random
import subprocess
from pathlib import Path

from PIL import Image

KINDS = ("photo", "screenshot", "document", "chart", "drawing", "painting", "map", "diagram")
REPO = Path(__file__).resolve().parents[2]
HELDOUT_PACKAGES = Path("/work/wt/HELDOUT_PACKAGES.txt")
FONT_DIRS = ("/usr/share/fonts/truetype", "/usr/share/fonts/opentype")


def evaluation_images() -> list[Path]:
    """Every image an evaluation set names (dev set, text set, held-out set, and the label files listed in
    CORPUS_EXCLUDE_SETS, colon-separated); relative paths are from the checkout the label file is in."""
    sets = [REPO / name for name in ("devset/labels.json", "textset/real.json", "devset/heldout.json")]
    sets += [Path(name) for name in os.environ.get("CORPUS_EXCLUDE_SETS", "").split(":") if name]
    images = []
    for path in sets:
        if path.exists():
            root = path.resolve().parents[1]
            images += [Path(i["file"]) if i["file"].startswith("/") else root / i["file"]
                       for i in json.loads(path.read_text())["images"]]
    return images


def excluded_files() -> set[str]:
    """Resolved paths of every evaluation image, so no corpus image is one."""
    return {str(p.resolve()) for p in evaluation_images()}


def excluded_packages(extra: Path | None = None) -> set[str]:
    """Names of the packages held out for evaluation (one per line, # comments), none of whose files may be used."""
    names: set[str] = set()
    for path in (HELDOUT_PACKAGES, extra):
        if path and path.exists():
            names |= {package for line in path.read_text().splitlines() if (package := heldout_line(line))}
    return names


def heldout_line(line: str) -> str | None:
    """The package a held-out line names: 'registry package version' (debian, pypi, npm) or a bare package name."""
    words = line.split("#", 1)[0].split()
    if not words:
        return None
    return words[1] if len(words) > 1 and words[0] in ("debian", "pypi", "npm") else words[0]


def owning_package(paths: list[str]) -> dict[str, str]:
    """The Debian package that installed each path (dpkg -S); paths no package owns are left out."""
    owners: dict[str, str] = {}
    for start in range(0, len(paths), 200):
        batch = paths[start:start + 200]
        result = subprocess.run(["dpkg", "-S", *batch], capture_output=True, text=True, check=False)
        for line in result.stdout.splitlines():
            package, _, path = line.partition(": ")
            owners[path.strip()] = package.split(":")[0].split(",")[0].strip()
    return owners


def fonts() -> list[str]:
    """Every installed TrueType/OpenType font file, sorted so a seed picks the same one everywhere."""
    found = [str(p) for d in FONT_DIRS for p in Path(d).rglob("*") if p.suffix.lower() in (".ttf", ".otf")]
    return sorted(found)


def save(image: Image.Image, out: Path, rng: random.Random, jpeg_share: float = 0.3) -> str:
    """Write the image as PNG or (sometimes) JPEG of random quality, the way such images travel; returns the name."""
    image = image.convert("RGB")
    if rng.random() < jpeg_share:
        path = out.with_suffix(".jpg")
        image.save(path, quality=rng.randint(55, 95))
    else:
        path = out.with_suffix(".png")
        image.save(path, compress_level=1)
    return path.name


def fit_longest(image: Image.Image, longest: int) -> Image.Image:
    """Scale down so the longer side is at most longest (corpus images stay small; the server scales to 256 anyway)."""
    scale = longest / max(image.size)
    if scale >= 1:
        return image
    return image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
