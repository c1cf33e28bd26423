"""Real photos shipped by Debian packages, with the WordNet ancestor their top-1 class must sit under."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hashtagnet import REPO_ROOT

from . import images

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


# Hand-labelled real-image sets with provenance (installed path + sha256 per image); only kind == "photo" is used.
LABELLED_SETS = (REPO_ROOT / "devset" / "labels.json", REPO_ROOT / "textset" / "real.json")


@dataclass(frozen=True)
class NaturalPhoto:
    """A real photo named by a labelled set: where it is installed and its sha256 (its identity across sets)."""

    path: Path
    sha256: str


def natural_photos(sets=LABELLED_SETS) -> list[NaturalPhoto]:
    """Every distinct photo (kind "photo") of the labelled sets, by sha256, sorted by sha256; missing files raise."""
    found: dict[str, NaturalPhoto] = {}
    for labels in sets:
        for image in json.loads(Path(labels).read_text())["images"]:
            if image["kind"] != "photo":
                continue
            path = Path(image["file"]) if Path(image["file"]).is_absolute() else REPO_ROOT / image["file"]
            if not path.exists():
                raise FileNotFoundError(f"{path} ({image['source']['package']}): run scripts/install-deps.sh")
            found.setdefault(image["sha256"], NaturalPhoto(path, image["sha256"]))
    return [found[key] for key in sorted(found)]


def split_by_image(photos: list[NaturalPhoto]) -> tuple[list[NaturalPhoto], list[NaturalPhoto]]:
    """Two disjoint halves by image (every other photo in sha256 order): no photo has views on both sides."""
    return photos[0::2], photos[1::2]


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


def bundle_views(spec: dict, paths, crop_fractions=(1.0, 0.8, 0.6), flips=(False,)) -> np.ndarray:
    """Crops (and mirrors) of each photo, each resized by a bundle's `input` rule: uint8 [N,H,W,3]."""
    return np.stack([images.resize_for_input(view, spec) for path in paths
                     for view in variants(images.load_rgb(path), crop_fractions, flips)])


def int8_photo_sets(spec: dict) -> dict:
    """The int8 study's images: calibration views (11 crops per photo) and agreement views (the same crops and their
    mirrors, 22 per photo) from the two halves of split_by_image, so no photo has views on both sides."""
    calibration, held_out = split_by_image(natural_photos())
    return {"calibration": bundle_views(spec, [p.path for p in calibration]),
            "agreement": bundle_views(spec, [p.path for p in held_out], flips=(False, True)),
            "calibration_photos": [p.sha256 for p in calibration], "agreement_photos": [p.sha256 for p in held_out]}
