"""The pools every source draws from (photos, man pages, HTML pages, SVGs, fonts, words) and one function per source
that makes one labelled image from a seeded random generator."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from . import charts, diagrams, documents, drawings, maps, photos, screens
from .common import excluded_packages, fonts


@dataclass(frozen=True)
class Pools:
    """Everything the sources sample from, found once per build."""
    photos: list[dict]
    man_pages: list[str]
    html: list[str]
    svgs: list[str]
    fonts: list[str]
    words: list[str]
    text_lines: list[str]
    chromium_share: float
    regions: list[dict]

    @property
    def mono(self) -> str:
        return next((f for f in self.fonts if "Mono" in f), self.fonts[0])

    @property
    def sans(self) -> str:
        return next((f for f in self.fonts if f.endswith("DejaVuSans.ttf")), self.fonts[0])


def find_pools(extra_heldout: Path | None, chromium_share: float) -> Pools:
    """Scan the machine for every source's inputs, excluding evaluation images and held-out packages."""
    pages = documents.man_pages()
    words = sorted({Path(p).name.split(".")[0] for p in pages if Path(p).name.split(".")[0].isalpha()})
    lines = documents._text_lines(next(p for p in pages if "/bash.1" in p) if any("/bash.1" in p for p in pages) else pages[0])
    return Pools(photos.find_photos(extra_heldout), pages, screens.html_documents(excluded_packages(extra_heldout)),
                 drawings.svg_files(), fonts(),
                 words, [line for line in lines if line.strip()], chromium_share, maps.nuts_regions())


def _photo(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    item = rng.choice(pools.photos)
    with Image.open(item["path"]) as image:
        return photos.augment_photo(image, rng), f"{item['package']}:{item['path']}"


def _painting(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    image, source = _photo(rng, pools)
    return photos.paint(image, rng), f"painted {source}"


def _screenshot(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    choice = rng.random()
    if choice < pools.chromium_share:
        path = rng.choice(pools.html)
        return screens.capture_html(path, rng), f"chromium:{path}"
    if choice < pools.chromium_share + (1 - pools.chromium_share) / 2:
        return screens.terminal(rng, pools.text_lines, pools.mono), "synthetic terminal"
    return screens.app_window(rng, pools.text_lines, pools.sans), "synthetic application window"


def _document(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    image, path = documents.render_document(rng, pools.man_pages, pools.fonts)
    return image, f"groff:{path}"


def _chart(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    return charts.render_chart(rng), "matplotlib"


def _drawing(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    if rng.random() < 0.6:
        image, path = drawings.icon_drawing(rng, pools.svgs)
        return image, f"rsvg:{path}"
    return drawings.clipart_scene(rng), "synthetic clip art"


def _map(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    choice = rng.random()
    if choice < 0.5 and pools.regions:
        return maps.nuts_map(rng, pools.regions, pools.sans), "python3-networkx:nuts1.geojson"
    if choice < 0.75:
        return maps.relief_map(rng, pools.words, pools.sans), "synthetic relief/political map"
    return maps.street_map(rng, pools.words, pools.sans), "synthetic street plan"


def _diagram(rng: random.Random, pools: Pools) -> tuple[Image.Image | None, str]:
    return diagrams.render_diagram(rng, pools.words), "graphviz"


SOURCES = {"photo": _photo, "painting": _painting, "screenshot": _screenshot, "document": _document,
           "chart": _chart, "drawing": _drawing, "map": _map, "diagram": _diagram}
