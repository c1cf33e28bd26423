"""From a recipe's data section to a training table: stream, canonicalise or read labels, decode."""

from __future__ import annotations

from pathlib import Path

from .corpus import ImageTable, hashtag_table, labelled_table
from .data import HashtagStream, expand_sources, folder_records
from .hashtags import default_canonicaliser


def table_for_recipe(recipe: dict, split: str = "sources") -> ImageTable:
    """The table for data.sources (or data.val_sources): hashtag-labelled shards/manifests, or class folders."""
    data = recipe["data"]
    if data["kind"] == "folders":
        records = (r for root in data[split] for r in folder_records(Path(root)))
        return labelled_table(records, data["image_size"], data.get("classes"))
    stream = HashtagStream(expand_sources(data[split]), url_command=data["url_command"])
    table, _, coverage = hashtag_table(stream, default_canonicaliser(), data["image_size"], data["vocabulary"])
    print({"coverage": coverage})
    return table
