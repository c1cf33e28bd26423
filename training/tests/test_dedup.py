"""Near-duplicate removal on real photos (scikit-image's sample images)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hashtagnet.data.corpus import ImageTable
from hashtagnet.data.dedup import drop_near_duplicates
from hashtagnet.data.pipeline import table_for_recipe
from hashtagnet.data.synth import write_target_folders
from hashtagnet.train.recipe import load_recipe

SKIMAGE = Path("/usr/lib/python3/dist-packages/skimage/data")


def _photo(name: str) -> np.ndarray:
    with Image.open(SKIMAGE / name) as img:
        return np.asarray(img.convert("RGB").resize((64, 64), Image.BILINEAR))


def _altered(image: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(image * 1.05 + rng.normal(0, 4, image.shape), 0, 255).astype(np.uint8)


@pytest.mark.parametrize("method", ["thumbnail", "dhash"])
def test_altered_copies_of_evaluation_photos_are_dropped_and_others_kept(method):
    evaluation = np.stack([_photo("chelsea.png"), _photo("coffee.png")])
    others = [_photo(n) for n in ("rocket.jpg", "astronaut.png", "motorcycle_left.png", "camera.png")]
    train_images = np.stack([_altered(evaluation[0], 1), *others, _altered(evaluation[1], 2)])
    table = ImageTable(train_images, [[0]] * 6, ["n1"], [f"k{i}" for i in range(6)])
    kept, report = drop_near_duplicates(table, [evaluation], method=method)
    assert report["dropped"] == 2 and report["dropped_keys"] == ["k0", "k5"]
    assert kept.keys == ["k1", "k2", "k3", "k4"]


def test_a_recipe_naming_evaluation_folders_drops_their_copies_from_training(tmp_path):
    write_target_folders(tmp_path, {"train": 3, "test": 2}, size=16, seed=0)
    shutil.copy(tmp_path / "test" / "n02129165" / "0000.png", tmp_path / "train" / "n02129165" / "leak.png")
    data = {"kind": "folders", "sources": [str(tmp_path / "train")], "image_size": 16, "dedup_against": [str(tmp_path / "test")]}
    table = table_for_recipe(load_recipe(extra={"data": data}))
    assert len(table) == 27 and not any(key.endswith("leak.png") for key in table.keys)
