"""Synthetic hashtag data: real WordNet concepts, photo-like images, captions with noisy, Zipf-distributed tags."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import webdataset as wds
from PIL import Image

from hashtagnet.labels.wordnet_graph import load_wordnet
from hashtagnet.labels.wordnet_graph import wnid as synset_id

from .synth_images import SHAPES, TEXTURES, Signature, render

# Each scene family shares backgrounds and a palette; the target concepts reuse the primitives in new combinations.
FAMILIES = {
    "animal": {
        "source": ["brown_bear", "polar_bear", "tabby", "snow_leopard", "golden_retriever", "timber_wolf", "koala", "cheetah"],
        "target": ["lion", "zebra", "giant_panda"],
        "palette": [(0.45, 0.3, 0.15), (0.85, 0.75, 0.55), (0.1, 0.08, 0.06), (0.92, 0.92, 0.9), (0.6, 0.45, 0.2), (0.5, 0.5, 0.5)],
        "sky": (0.55, 0.7, 0.85), "ground": (0.35, 0.5, 0.2),
    },
    "vehicle": {
        "source": ["sports_car", "fire_engine", "school_bus", "mountain_bike", "pickup", "motor_scooter", "jeep", "limousine"],
        "target": ["ambulance", "tractor", "convertible"],
        "palette": [(0.85, 0.1, 0.1), (0.95, 0.8, 0.1), (0.1, 0.25, 0.8), (0.95, 0.95, 0.95), (0.15, 0.15, 0.18), (0.2, 0.6, 0.3)],
        "sky": (0.7, 0.8, 0.9), "ground": (0.4, 0.4, 0.42),
    },
    "plant": {
        "source": ["sunflower", "granny_smith", "strawberry", "lemon", "tulip", "broccoli", "pumpkin", "mushroom"],
        "target": ["orange", "daisy", "pineapple"],
        "palette": [(0.95, 0.55, 0.05), (0.95, 0.9, 0.2), (0.2, 0.65, 0.15), (0.8, 0.1, 0.2), (0.98, 0.98, 0.95), (0.55, 0.35, 0.15)],
        "sky": (0.8, 0.85, 0.75), "ground": (0.3, 0.22, 0.12),
    },
}
IRRELEVANT = ["love", "instagood", "photooftheday", "nofilter", "tbt", "picoftheday", "happy", "summer", "beautiful", "follow"]
TEMPLATES = ["{tags}", "Look at this! {tags}", "{tags} what a day", "Weekend vibes {tags}", "Saw this today {tags}"]


@dataclass(frozen=True)
class Concept:
    """A real WordNet noun synset with the lemma it was named by and its visual signature."""

    lemma: str
    wnid: str
    synonyms: tuple[str, ...]
    signature: Signature


def build_concepts(split: str) -> list[Concept]:
    """The source (hashtag) or target concepts; signatures are fixed by a seeded draw over the shared primitives."""
    wn, rng = load_wordnet(), np.random.default_rng(2018)
    concepts: dict[str, list[Concept]] = {"source": [], "target": []}
    for family in FAMILIES.values():
        combos = list(itertools.product(SHAPES, TEXTURES))
        rng.shuffle(combos)
        # Two colour pairs per family: concepts sharing colours differ only in shape and texture, and all target
        # concepts of a family share one pair, so the target task needs the shape/texture features pretraining learns.
        pairs = [tuple(rng.choice(len(family["palette"]), size=2, replace=False)) for _ in range(2)]
        members = [("source", lemma) for lemma in family["source"]] + [("target", lemma) for lemma in family["target"]]
        for index, (which, lemma) in enumerate(members):
            shape, texture = combos[index]
            ia, ib = pairs[index % 2 if which == "source" else 0]
            sig = Signature(shape, texture, family["palette"][ia], family["palette"][ib], family["sky"], family["ground"])
            synset = wn.synsets(lemma, pos="n")[0]
            concepts[which].append(Concept(lemma, synset_id(synset), tuple(synset.lemma_names()), sig))
    return concepts[split]


def tag_forms(lemma: str, rng: np.random.Generator) -> str:
    """A hashtag for a lemma the way people write them: run-together, CamelCase, plural, or with underscores."""
    words = lemma.replace("-", "_").split("_")
    style = rng.integers(0, 5)
    if style == 0:
        return "".join(words).lower()
    if style == 1:
        return "".join(w.capitalize() for w in words)
    if style == 2:
        return "".join(words).lower() + ("es" if words[-1].endswith(("s", "x", "ch")) else "s")
    if style == 3:
        return "_".join(words)
    return "".join(words).upper()


def zipf_probabilities(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    """Concept frequencies ~ 1/rank^exponent over a random ranking of the n concepts."""
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return rng.permutation(weights / weights.sum())


def caption_for(concept: Concept, others: list[Concept], rng: np.random.Generator, noise: float) -> str:
    """A caption: the concept's tag(s) via synonyms, maybe dropped or replaced (noise), plus irrelevant tags."""
    tags = []
    roll = rng.random()
    if roll >= noise:
        tags.append(tag_forms(rng.choice(concept.synonyms), rng))
        if rng.random() < 0.3:
            tags.append(tag_forms(rng.choice(concept.synonyms), rng))
    elif roll < noise / 2:
        wrong = others[rng.integers(len(others))]
        tags.append(tag_forms(rng.choice(wrong.synonyms), rng))
    tags += list(rng.choice(IRRELEVANT, size=rng.integers(1, 4), replace=False))
    rng.shuffle(tags)
    template = TEMPLATES[rng.integers(len(TEMPLATES))]
    return template.format(tags=" ".join("#" + t for t in tags))


def render_source_images(n_images: int, *, size: int, seed: int, zipf: float = 1.0) -> tuple[list[Concept], np.ndarray]:
    """n images of source concepts drawn with Zipf frequencies; returns the concept of each image and the images."""
    rng = np.random.default_rng(seed)
    concepts = build_concepts("source")
    probs = zipf_probabilities(len(concepts), zipf, np.random.default_rng(seed + 7))
    drawn = [concepts[i] for i in rng.choice(len(concepts), size=n_images, p=probs)]
    return drawn, np.stack([render(c.signature, rng, size) for c in drawn])


def captions_for(drawn: list[Concept], *, noise: float, seed: int) -> list[str]:
    """One caption per image; `noise` is the share of images whose true tag is missing (half) or wrong (half)."""
    rng, concepts = np.random.default_rng(seed), build_concepts("source")
    return [caption_for(c, [o for o in concepts if o.wnid != c.wnid], rng, noise) for c in drawn]


def write_shards(out_dir: Path, images: np.ndarray, captions: list[str], shard_size: int = 1000) -> list[str]:
    """WebDataset tar shards of {key}.png + {key}.txt; returns the shard paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with wds.ShardWriter(str(out_dir / "shard-%05d.tar"), maxcount=shard_size, verbose=0) as sink:
        for i, (image, caption) in enumerate(zip(images, captions)):
            buffer = io.BytesIO()
            Image.fromarray(image).save(buffer, format="PNG")
            sink.write({"__key__": f"{i:07d}", "png": buffer.getvalue(), "txt": caption})
    return sorted(str(p) for p in out_dir.glob("shard-*.tar"))


def write_target_folders(out_dir: Path, per_class: dict[str, int], *, size: int, seed: int) -> list[Concept]:
    """Write the labelled target task as split/<wnid>/<n>.png folders (one folder per class)."""
    rng = np.random.default_rng(seed)
    concepts = build_concepts("target")
    for split, count in per_class.items():
        for concept in concepts:
            folder = out_dir / split / concept.wnid
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count):
                Image.fromarray(render(concept.signature, rng, size)).save(folder / f"{i:04d}.png")
    return concepts
