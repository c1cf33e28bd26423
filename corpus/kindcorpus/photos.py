"""Photos: every camera image found in installed packages (held-out ones excluded), cropped, scaled and re-encoded."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter

from .common import evaluation_images, excluded_files, excluded_packages, owning_package

SEARCH_ROOTS = ("/usr/share", "/usr/lib", "/usr/local/go/src/image/testdata")
PNG_PHOTO_DIRS = ("skimage/data", "opencv-doc/examples/data", "sklearn/datasets/images")
PHONE_SIZES = ((4032, 3024), (3024, 4032), (1920, 1080), (1080, 1920), (1600, 1200), (1280, 960), (800, 600), (640, 480))


def _looks_like_photo(path: Path) -> bool:
    """A weak filter: big enough, and many distinct colours in a thumbnail (drawings and figures have few)."""
    try:
        with Image.open(path) as image:
            if min(image.size) < 160:
                return False
            thumb = image.convert("RGB").resize((64, 64))
    except (OSError, ValueError):
        return False
    pixels = np.asarray(thumb).reshape(-1, 3) // 8
    distinct = len({tuple(p) for p in pixels})
    white = float((pixels.min(axis=1) >= 30).mean())
    return distinct >= 600 and white < 0.5


def difference_hash(path: Path, size: int = 16) -> np.ndarray:
    """Bits of a grey (size+1) x size thumbnail: whether each pixel is brighter than its right neighbour."""
    with Image.open(path) as image:
        grey = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", grey.size, (255, 255, 255, 255)), grey).convert("L")
    pixels = np.asarray(flat.resize((size + 1, size), Image.BILINEAR), dtype=np.int16)
    return (pixels[:, 1:] > pixels[:, :-1]).ravel()


def find_photos(extra_heldout: Path | None = None) -> list[dict]:
    """Candidate photos with their owning package, minus evaluation images (also under another file name: within 24
    of 256 bits of difference hash) and held-out packages."""
    names = [p for root in SEARCH_ROOTS for p in Path(root).rglob("*") if p.is_file() and (
        p.suffix.lower() in (".jpg", ".jpeg") or (p.suffix.lower() == ".png" and any(d in str(p) for d in PNG_PHOTO_DIRS)))]
    names = sorted(str(p.resolve()) for p in names)
    owners = owning_package(names)
    skip_files, skip_packages = excluded_files(), excluded_packages(extra_heldout)
    references = np.stack([difference_hash(p) for p in evaluation_images() if p.exists()])
    pool = []
    for name in names:
        package = owners.get(name, "unpackaged")
        if name in skip_files or package in skip_packages or not _looks_like_photo(Path(name)):
            continue
        if (references != difference_hash(Path(name))).sum(axis=1).min() <= 24:
            continue
        pool.append({"path": name, "package": package})
    return pool


def augment_photo(image: Image.Image, rng: random.Random) -> Image.Image:
    """A random view: crop of 35-100% of the area, colour and sharpness jitter, scaled to a camera or phone size."""
    image = image.convert("RGB")
    area = rng.uniform(0.35, 1.0)
    aspect = rng.choice((1.0, 4 / 3, 3 / 4, 16 / 9, 9 / 16, 3 / 2))
    w = min(image.width, round((area * image.width * image.height * aspect) ** 0.5))
    h = min(image.height, round(w / aspect))
    left, top = rng.randint(0, image.width - w), rng.randint(0, image.height - h)
    image = image.crop((left, top, left + w, top + h))
    if rng.random() < 0.5:
        image = image.transpose(Image.FLIP_LEFT_RIGHT)
    image = ImageEnhance.Color(image).enhance(rng.uniform(0.7, 1.3))
    image = ImageEnhance.Brightness(image).enhance(rng.uniform(0.75, 1.25))
    image = ImageEnhance.Contrast(image).enhance(rng.uniform(0.8, 1.2))
    target = rng.choice(PHONE_SIZES)
    scale = min(1.0, max(target) / max(image.size)) * rng.uniform(0.4, 1.0)
    return image.resize((max(64, round(image.width * scale)), max(64, round(image.height * scale))), Image.BILINEAR)


def paint(image: Image.Image, rng: random.Random) -> Image.Image:
    """A painterly rendering of a photo: flattened colour patches, brush dabs in the image's colours, canvas grain."""
    image = image.convert("RGB")
    factor = rng.choice((2, 3))
    small = image.resize((max(32, image.width // factor), max(32, image.height // factor)), Image.BILINEAR)
    small = small.filter(ImageFilter.ModeFilter(rng.choice((3, 5)))).quantize(rng.randint(16, 48)).convert("RGB")
    small = small.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.5)))
    base = np.asarray(small.resize(image.size, Image.BICUBIC), dtype=np.float32)
    out = Image.fromarray(base.astype(np.uint8))
    dabs = Image.new("RGBA", image.size)
    draw = ImageDraw.Draw(dabs)
    size = max(3, min(image.size) // rng.randint(25, 60))
    for _ in range(rng.randint(1500, 4000)):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        colour = tuple(int(c) for c in base[y, x]) + (rng.randint(90, 200),)
        dx, dy = rng.randint(-size, size), rng.randint(-size // 2, size // 2)
        draw.line((x, y, x + dx, y + dy), fill=colour, width=rng.randint(2, size))
    out = Image.alpha_composite(out.convert("RGBA"), dabs).convert("RGB")
    grain = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(3, 9), (image.height, image.width, 1))
    weave = (np.sin(np.arange(image.width) * 1.7)[None, :, None] + np.sin(np.arange(image.height) * 1.7)[:, None, None]) * 3
    pixels = np.clip(np.asarray(out, dtype=np.float32) + grain + weave, 0, 255).astype(np.uint8)
    out = ImageEnhance.Color(Image.fromarray(pixels)).enhance(rng.uniform(1.0, 1.5))
    return out.filter(ImageFilter.SMOOTH) if rng.random() < 0.5 else out
