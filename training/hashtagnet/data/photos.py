"""Real photos shipped by Debian packages, with the WordNet ancestor their top-1 class must sit under."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")  # Debian python3-skimage
MPL_SAMPLE_DATA = Path("/usr/share/matplotlib/mpl-data/sample_data")  # Debian python-matplotlib-data


@dataclass(frozen=True)
class LabelledPhoto:
    """A real photo and the WordNet ids any of which must be an ancestor (or the class itself) of its top-1."""

    path: Path
    expected_under: tuple[str, ...]
    subject: str


LABELLED_PHOTOS = (
    LabelledPhoto(SKIMAGE_DATA / "chelsea.png", ("n02121808",), "cat -> domestic cat"),
    LabelledPhoto(SKIMAGE_DATA / "coffee.png", ("n07881800", "n03147509", "n03063599"), "coffee -> beverage or cup"),
    LabelledPhoto(SKIMAGE_DATA / "rocket.jpg", ("n04099429", "n04565375", "n04264914"), "rocket -> rocket, weapon system or spacecraft"),
    LabelledPhoto(SKIMAGE_DATA / "motorcycle_left.png", ("n03791235",), "motorcycle -> motor vehicle"),
    LabelledPhoto(MPL_SAMPLE_DATA / "grace_hopper.jpg", ("n03051540",), "officer in uniform -> clothing"),
)

# More real photos (no single right answer) that widen the int8 agreement and calibration sets.
EXTRA_PHOTOS = tuple(
    SKIMAGE_DATA / name
    for name in ("astronaut.png", "motorcycle_right.png", "coffee.png", "ihc.png",
                 "retina.jpg", "hubble_deep_field.jpg", "color.png", "brick.png", "grass.png", "gravel.png")
    if (SKIMAGE_DATA / name).exists()
)


def all_photo_paths() -> list[Path]:
    """Every distinct real photo known here, labelled first."""
    paths = [p.path for p in LABELLED_PHOTOS] + list(EXTRA_PHOTOS)
    return list(dict.fromkeys(paths))


def variants(rgb: np.ndarray, crop_fractions=(1.0, 0.8, 0.6), flips=(False, True)) -> list[np.ndarray]:
    """Deterministic views of one photo: centre and corner crops at several fractions, each optionally mirrored."""
    height, width = rgb.shape[:2]
    views = []
    for fraction in crop_fractions:
        ch, cw = int(height * fraction), int(width * fraction)
        anchors = [((height - ch) // 2, (width - cw) // 2)]
        if fraction < 1.0:
            anchors += [(0, 0), (0, width - cw), (height - ch, 0), (height - ch, width - cw)]
        for top, left in anchors:
            view = rgb[top:top + ch, left:left + cw]
            for flip in flips:
                views.append(np.ascontiguousarray(view[:, ::-1] if flip else view))
    return views
