"""From a recipe's data section to a training table: stream, canonicalise or read labels, decode, de-duplicate."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hashtagnet.labels.hashtags import default_canonicaliser

from .corpus import ImageTable, hashtag_table, labelled_table
from .dedup import drop_near_duplicates
from .images import decode_for_model
from .stream import HashtagStream, expand_sources, folder_records


def _records(data: dict, split: str):
    if data["kind"] == "folders":
        return (r for root in data[split] for r in folder_records(Path(root)))
    return HashtagStream(expand_sources(data[split]), url_command=data["url_command"])


def table_for_recipe(recipe: dict, split: str = "sources") -> ImageTable:
    """The table for data.sources (or data.val_sources): hashtag-labelled shards/manifests, or class folders;
    training images near-duplicate to data.dedup_against (evaluation folders) are dropped and reported."""
    data = recipe["data"]
    if data["kind"] == "folders":
        table = labelled_table(_records(data, split), data["image_size"], data.get("classes"))
    else:
        table, _, coverage = hashtag_table(_records(data, split), default_canonicaliser(), data["image_size"], data["vocabulary"])
        print({"coverage": coverage})
    if data.get("dedup_against"):
        evaluation = [decode_for_model(r.image, data["image_size"]) for root in data["dedup_against"] for r in folder_records(Path(root))]
        table, report = drop_near_duplicates(table, [np.stack(evaluation)] if evaluation else [])
        print({"dedup": {k: v for k, v in report.items() if k != "dropped_keys"}})
    return table
