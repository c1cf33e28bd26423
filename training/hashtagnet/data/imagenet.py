"""The ImageNet-1k (ILSVRC-2012) class ids in the order the pretrained weights were trained with."""

from __future__ import annotations

import importlib.metadata
import importlib.resources

SYNSETS_PACKAGE = "timm"
SYNSETS_RESOURCE = ("data", "_info", "imagenet_synsets.txt")


def imagenet_class_ids() -> list[str]:
    """The 1000 WordNet ids in sorted-wnid order (the standard ILSVRC-2012 label order), read from timm's data file."""
    resource = importlib.resources.files(SYNSETS_PACKAGE).joinpath(*SYNSETS_RESOURCE)
    ids = resource.read_text().split()
    if len(ids) != 1000 or ids != sorted(ids) or len(set(ids)) != 1000:
        raise ValueError(f"{resource}: expected 1000 sorted unique WordNet ids, got {len(ids)}")
    return ids


def class_list_source() -> str:
    """Where the class list came from, for the manifest's provenance."""
    version = importlib.metadata.version(SYNSETS_PACKAGE)
    return f"{SYNSETS_PACKAGE}=={version}:{'/'.join(SYNSETS_RESOURCE)}"
