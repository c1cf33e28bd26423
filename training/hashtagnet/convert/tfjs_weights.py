"""TF.js weight shards: cut a weights manifest's concatenated buffers into named numpy arrays, as tfjs-core does."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

DTYPE_BYTES = {"uint8": 1, "uint16": 2, "float16": 2, "float32": 4, "int32": 4, "bool": 1}
_PLAIN = {"float32": "<f4", "int32": "<i4", "bool": "u1"}


def decode_weight(spec: dict, raw: bytes) -> np.ndarray:
    """Decode one weight as tfjs-core's decodeWeight does: float16 widened, uint8/16 as v * scale + min in double."""
    shape = tuple(spec["shape"])
    quant = spec.get("quantization")
    if quant is None:
        return np.frombuffer(raw, dtype=_PLAIN[spec["dtype"]]).reshape(shape).copy()
    if quant["dtype"] == "float16":
        return np.frombuffer(raw, dtype="<f2").astype(np.float32).reshape(shape)
    if quant["dtype"] not in ("uint8", "uint16"):
        raise ValueError(f"{spec['name']}: unknown quantization dtype {quant['dtype']}")
    values = np.frombuffer(raw, dtype="u1" if quant["dtype"] == "uint8" else "<u2").astype(np.float64)
    decoded = values * quant["scale"] + quant["min"]
    return decoded.astype(np.float32 if spec["dtype"] == "float32" else np.int32).reshape(shape)


def decode_groups(manifest: list[dict], group_bytes: Callable[[list[str]], bytes]) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Every weight of every group by name, and the specs in order; `group_bytes` joins one group's shard files."""
    weights: dict[str, np.ndarray] = {}
    specs: list[dict] = []
    for group in manifest:
        buffer = group_bytes(group["paths"])
        offset = 0
        for spec in group["weights"]:
            quant = spec.get("quantization")
            size = int(np.prod(spec["shape"], dtype=np.int64)) * DTYPE_BYTES[quant["dtype"] if quant else spec["dtype"]]
            weights[spec["name"]] = decode_weight(spec, buffer[offset : offset + size])
            specs.append(spec)
            offset += size
        if offset != len(buffer):
            raise ValueError(f"weight group {group['paths']}: {len(buffer) - offset} bytes left over")
    return weights, specs
