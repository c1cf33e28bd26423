"""Weak scene labels from the classifier's own place classes: ImageNet classes that name a place (or a thing seen
only in one kind of place) gathered into a few scenes. The sum of a scene's class probabilities is its weak score."""

from __future__ import annotations

import numpy as np

# Class names as the bundle's manifest spells them; every name must exist (scene_matrix checks it).
SCENE_CLASSES: dict[str, tuple[str, ...]] = {
    "indoor room": ("library", "restaurant", "dining table", "home theater", "studio couch", "four-poster bed",
                    "bookcase", "wardrobe", "window shade", "desk", "bathtub", "washbasin", "shower curtain",
                    "medicine cabinet", "china cabinet", "altar", "pipe organ", "throne", "barbershop"),
    "street or city": ("street sign", "traffic light", "trolleybus", "streetcar", "parking meter", "police van",
                       "minibus", "garbage truck", "fire engine", "bakery", "bookshop", "butcher shop", "candy store",
                       "shoe shop", "tobacco shop", "toy shop", "grocery store", "cinema"),
    "building or landmark": ("palace", "church", "mosque", "castle", "monastery", "triumphal arch", "obelisk", "stupa",
                             "dome", "bell cote", "planetarium", "barn", "greenhouse", "prison", "suspension bridge",
                             "steel arch bridge", "viaduct", "totem pole", "megalith", "lighthouse", "patio",
                             "thatched roof", "tile roof", "fountain", "yurt", "mobile home", "cliff dwelling",
                             "boathouse"),
    "landscape": ("valley", "geyser", "rapeseed", "hay", "harvester", "thresher", "plow", "maze", "lakeside"),
    "seaside or water": ("seashore", "sandbar", "breakwater", "dock", "pier", "ocean liner", "canoe", "speedboat",
                         "gondola", "lifeboat", "fireboat", "shipwreck", "coral reef", "scuba diver", "snorkel"),
    "mountain": ("alp", "volcano", "cliff", "mountain tent", "ski", "dogsled", "snowmobile"),
    "sky or aerial": ("airliner", "airship", "balloon", "parachute", "wing", "warplane", "space shuttle"),
    "stage or concert": ("stage", "spotlight", "theater curtain", "electric guitar"),
}
SCENES = tuple(SCENE_CLASSES)
OTHER = "none"


def scene_matrix(class_names: list[str]) -> np.ndarray:
    """A [classes, scenes] 0/1 matrix: column s marks the classes gathered into scene s."""
    index = {name: i for i, name in enumerate(class_names)}
    missing = [name for names in SCENE_CLASSES.values() for name in names if name not in index]
    if missing:
        raise ValueError(f"scene classes not in the bundle: {missing}")
    matrix = np.zeros((len(class_names), len(SCENES)), dtype=np.float32)
    for column, names in enumerate(SCENE_CLASSES.values()):
        for name in names:
            matrix[index[name], column] = 1.0
    return matrix


def weak_scene_labels(probabilities: np.ndarray, matrix: np.ndarray, threshold: float) -> np.ndarray:
    """Per image, the index of the scene whose gathered probability is highest and at least threshold, else
    len(SCENES) (no scene)."""
    scores = probabilities.astype(np.float32) @ matrix
    best = scores.argmax(axis=1)
    return np.where(scores.max(axis=1) >= threshold, best, len(SCENES))


def gathered_matrix(class_names: list[str]) -> np.ndarray:
    """scene_matrix with a last column for no scene (1 for every class no scene gathers): rows sum to 1, so the
    product with a probability vector is a distribution over (*SCENES, OTHER)."""
    matrix = scene_matrix(class_names)
    return np.concatenate([matrix, 1 - matrix.sum(axis=1, keepdims=True)], axis=1)
