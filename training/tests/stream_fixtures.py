"""Generated WebDataset shards for the streaming tests: coloured squares tagged by colour, one corrupt record."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import webdataset as wds
from PIL import Image

from hashtagnet.labels.label_map import LabelMap

COLOURS = {"red": (220, 30, 30), "green": (30, 200, 40), "blue": (30, 40, 220), "gold": (230, 190, 20)}


def label_map() -> LabelMap:
    """Four classes; #gold is rare and always comes with #red."""
    return LabelMap(["n1", "n2", "n3", "n4"], {"red": [0], "green": [1], "blue": [2], "gold": [3]}, [40, 30, 30, 4])


def write_stream_shards(out: Path, shards: int = 4, per_shard: int = 12, size: int = 20, corrupt_at=(1, 3)) -> list[str]:
    """`shards` tar files of PNG/JPEG records with hashtags in json and txt; record corrupt_at=(shard, i) is truncated."""
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    names = list(COLOURS)[:3]
    for shard in range(shards):
        with wds.TarWriter(str(out / f"shard-{shard:05d}.tar")) as sink:
            for i in range(per_shard):
                colour = names[(shard * per_shard + i) % 3]
                pixels = np.clip(rng.normal(COLOURS[colour], 20, (size, size + 6, 3)), 0, 255).astype(np.uint8)
                buffer, fmt = io.BytesIO(), "JPEG" if i % 2 else "PNG"
                Image.fromarray(pixels).save(buffer, format=fmt)
                data = buffer.getvalue()
                if (shard, i) == tuple(corrupt_at):
                    data = data[: len(data) // 3]
                tags = [colour, "gold"] if colour == "red" and i % 5 == 0 else [colour]
                sink.write({"__key__": f"{shard:03d}{i:04d}", fmt.lower().replace("jpeg", "jpg"): data,
                            "json": json.dumps({"hashtags": tags}).encode(), "txt": f"a photo #{colour}".encode()})
    return sorted(str(p) for p in out.glob("shard-*.tar"))
