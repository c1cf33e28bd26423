"""Maps drawn from generated geography: relief or political maps of fractal coastlines, and street plans.
No coastline or street data package is installed on this machine, so the geography is made up; the cartography
(sea tint, coastline, roads, labels, graticule, scale bar) is what the head should learn."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont


def _fractal(h: int, w: int, gen: np.random.Generator) -> np.ndarray:
    field = np.zeros((h, w), dtype=np.float32)
    for octave in range(1, 7):
        cells = 2 ** octave
        noise = gen.normal(0, 1, (cells + 1, cells + 1)).astype(np.float32)
        layer = np.asarray(Image.fromarray(noise).resize((w, h), Image.BICUBIC))
        field += layer / octave ** 1.2
    return (field - field.min()) / (np.ptp(field) + 1e-6)


def _labels(draw: ImageDraw.ImageDraw, rng: random.Random, words: list[str], size: tuple[int, int], font_path: str) -> None:
    w, h = size
    for _ in range(rng.randint(3, 15)):
        x, y = rng.randint(10, w - 80), rng.randint(10, h - 20)
        font = ImageFont.truetype(font_path, size=rng.randint(10, 18))
        if rng.random() < 0.7:
            draw.ellipse((x - 3, y - 3, x + 3, y + 3), fill=(0, 0, 0))
        draw.text((x + 5, y - 6), rng.choice(words).capitalize(), font=font, fill=(30, 30, 30))


def relief_map(rng: random.Random, words: list[str], font_path: str) -> Image.Image:
    """A relief or political map: sea, tinted land by height or by region, coastline, rivers, roads, graticule."""
    w, h = rng.choice(((800, 600), (1024, 768), (600, 800), (1200, 800)))
    gen = np.random.default_rng(rng.randrange(2**32))
    height = _fractal(h, w, gen)
    sea = rng.uniform(0.35, 0.6)
    land = height > sea
    if rng.random() < 0.5:
        t = ((height - sea) / (1 - sea)).clip(0, 1)[..., None]
        colours = np.array([[120, 170, 90], [200, 190, 120], [150, 110, 80], [245, 245, 245]], dtype=np.float32)
        index = np.minimum((t * 3).astype(int), 2)
        frac = t * 3 - index
        tint = colours[index[..., 0]] * (1 - frac) + colours[index[..., 0] + 1] * frac
    else:
        regions = (_fractal(h, w, gen) * rng.randint(4, 9)).astype(int)
        palette = np.array([[rng.randint(150, 255) for _ in range(3)] for _ in range(10)], dtype=np.float32)
        tint = palette[regions]
    water = np.array([rng.randint(140, 190), rng.randint(190, 220), rng.randint(220, 255)], dtype=np.float32)
    pixels = np.where(land[..., None], tint, water)
    edge = land ^ np.roll(land, 1, axis=0) | land ^ np.roll(land, 1, axis=1)
    pixels[edge] = (60, 60, 90)
    image = Image.fromarray(pixels.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(rng.randint(0, 8)):
        points = [(rng.randint(0, w), rng.randint(0, h))]
        for _ in range(rng.randint(3, 10)):
            points.append((points[-1][0] + rng.randint(-120, 120), points[-1][1] + rng.randint(-120, 120)))
        draw.line(points, fill=rng.choice(((200, 40, 40), (230, 180, 0), (90, 90, 90))), width=rng.randint(1, 4))
    if rng.random() < 0.6:
        step = rng.choice((80, 100, 150))
        for x in range(0, w, step):
            draw.line((x, 0, x, h), fill=(100, 110, 140), width=1)
        for y in range(0, h, step):
            draw.line((0, y, w, y), fill=(100, 110, 140), width=1)
    _labels(draw, rng, words, (w, h), font_path)
    if rng.random() < 0.5:
        draw.rectangle((w - 150, h - 40, w - 50, h - 32), fill=(0, 0, 0), outline=(0, 0, 0))
        draw.rectangle((w - 100, h - 40, w - 50, h - 32), fill=(255, 255, 255), outline=(0, 0, 0))
    return image


def street_map(rng: random.Random, words: list[str], font_path: str) -> Image.Image:
    """A street plan: blocks, parks and water between a jittered grid of roads, with street names."""
    w, h = rng.choice(((800, 600), (1024, 768), (600, 900), (1280, 800)))
    ground = (rng.randint(230, 245), rng.randint(228, 240), rng.randint(220, 235))
    image = Image.new("RGB", (w, h), ground)
    draw = ImageDraw.Draw(image)
    gen = np.random.default_rng(rng.randrange(2**32))
    if rng.random() < 0.6:
        band = rng.randint(0, h)
        draw.polygon([(0, band), (w, band + rng.randint(-200, 200)), (w, band + 120), (0, band + rng.randint(40, 200))], fill=(170, 210, 240))
    for _ in range(rng.randint(1, 6)):
        x, y = rng.randint(0, w), rng.randint(0, h)
        draw.rectangle((x, y, x + rng.randint(40, 200), y + rng.randint(40, 200)), fill=(190, 225, 180))
    roads = []
    for axis in (0, 1):
        for position in np.cumsum(gen.integers(40, 140, 30)):
            if position < (w if axis == 0 else h):
                roads.append((axis, int(position), rng.choice((4, 6, 6, 10, 14))))
    for axis, position, width in roads:
        end = h if axis == 0 else w
        line = (position, 0, position + rng.randint(-60, 60), end) if axis == 0 else (0, position, end, position + rng.randint(-60, 60))
        draw.line(line, fill=(180, 180, 180), width=width + 2)
        draw.line(line, fill=rng.choice(((255, 255, 255), (255, 255, 255), (250, 220, 130))), width=width)
    font = ImageFont.truetype(font_path, size=rng.randint(9, 14))
    for axis, position, _ in roads[:: rng.randint(2, 4)]:
        xy = (position + 3, rng.randint(0, h - 20)) if axis == 0 else (rng.randint(0, w - 80), position + 3)
        draw.text(xy, rng.choice(words).capitalize() + rng.choice((" St", " Rd", " Ave", "strasse", "")), font=font, fill=(80, 80, 80))
    for _ in range(rng.randint(0, 6)):
        x, y = rng.randint(10, w - 10), rng.randint(10, h - 10)
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=rng.choice(((220, 60, 60), (60, 120, 220))))
    return image


NUTS = Path("/usr/share/doc/python3-networkx/examples/geospatial/nuts1.geojson")


def nuts_regions() -> list[dict]:
    """Europe's NUTS-1 regions (real coastlines and borders) shipped with python3-networkx's examples; [] if absent."""
    if not NUTS.exists():
        return []
    regions = []
    for feature in json.loads(NUTS.read_text())["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        regions.append({"name": feature["properties"]["NUTS_ID"], "rings": [p[0] for p in polygons]})
    return regions


def nuts_map(rng: random.Random, regions: list[dict], font_path: str) -> Image.Image:
    """A map of a random window over Europe's regions: sea, land by region or one tint, borders, graticule, codes."""
    w, h = rng.choice(((800, 600), (1024, 768), (700, 900), (1200, 800)))
    lon0, lat0 = rng.uniform(-10, 30), rng.uniform(36, 62)
    span = rng.uniform(10, 45)
    scale = w / span
    shrink = np.cos(np.radians(lat0))

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (w / 2 + (lon - lon0) * scale * shrink, h / 2 - (lat - lat0) * scale)
    sea = (rng.randint(150, 200), rng.randint(190, 225), rng.randint(225, 255))
    image = Image.new("RGB", (w, h), sea if rng.random() < 0.85 else (255, 255, 255))
    draw = ImageDraw.Draw(image)
    land = tuple(rng.randint(200, 245) for _ in range(3))
    political = rng.random() < 0.5
    border = rng.choice(((90, 90, 90), (255, 255, 255), (150, 60, 60)))
    font = ImageFont.truetype(font_path, size=rng.randint(9, 15))
    for region in regions:
        fill = tuple(rng.randint(150, 250) for _ in range(3)) if political else land
        for ring in region["rings"]:
            points = [xy(lon, lat) for lon, lat in ring[:: max(1, int(3 / max(span / 10, 0.3)))]]
            if len(points) >= 3:
                draw.polygon(points, fill=fill, outline=border)
        x, y = xy(*np.mean(region["rings"][0], axis=0))
        if 0 < x < w and 0 < y < h and rng.random() < 0.6:
            draw.text((x, y), region["name"], font=font, fill=(40, 40, 40))
    if rng.random() < 0.5:
        for lon in range(-30, 50, rng.choice((2, 5, 10))):
            draw.line((*xy(lon, 20), *xy(lon, 75)), fill=(110, 120, 150))
        for lat in range(20, 75, rng.choice((2, 5, 10))):
            draw.line((*xy(-30, lat), *xy(50, lat)), fill=(110, 120, 150))
    return image
