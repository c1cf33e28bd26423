"""Read a TF.js layers model as the nsfwjs npm package ships it: topology and dequantised weights."""

from __future__ import annotations

import base64
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hashtagnet import REPO_ROOT
from hashtagnet.convert.tfjs_weights import decode_groups, decode_weight
from hashtagnet.export.bundle import sha256_file

DEFAULT_PACKAGE_DIR = REPO_ROOT / "node_modules" / "nsfwjs"

# The bundled *.min.js files are browserify UMD modules (JS object literals, not JSON), so Node evaluates them.
_DUMP_SCRIPT = """
const dir = process.argv[1];
const model = require(dir + '/model.min.js');
const shards = {};
for (const group of model.weightsManifest) for (const p of group.paths) shards[p] = require(dir + '/' + p + '.min.js');
process.stdout.write(JSON.stringify({ modelTopology: model.modelTopology, weightsManifest: model.weightsManifest, shards }));
"""



@dataclass
class TfjsLayersModel:
    """A Keras functional model as TF.js stores it: layer configs in order and named float32 weights."""

    package_version: str
    model_dir: Path
    layers: list[dict]
    input_layers: list[str]
    output_layers: list[str]
    weights: dict[str, np.ndarray]
    quantization: set[str] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)


def _dump_with_node(model_dir: Path) -> dict:
    """Evaluate the UMD model and shard modules with Node and return them as one JSON document."""
    result = subprocess.run(
        ["node", "-e", _DUMP_SCRIPT, str(model_dir.resolve())], capture_output=True, check=True, text=False
    )
    return json.loads(result.stdout)


def dequantize(spec: dict, raw: bytes) -> np.ndarray:
    """Decode one float32 weight exactly as tfjs-core's decodeWeight does (v * scale + min in double, stored as float32)."""
    if spec["dtype"] != "float32":
        raise ValueError(f"{spec['name']}: only float32 weights are supported, got {spec['dtype']}")
    return decode_weight(spec, raw)


def _decode_weights(manifest: list[dict], shards: dict[str, str]) -> tuple[dict[str, np.ndarray], set[str]]:
    """Named weights from the base64 shards, and the quantisation dtypes seen (`none` for a plain weight)."""
    for spec in (spec for group in manifest for spec in group["weights"]):
        if spec["dtype"] != "float32":
            raise ValueError(f"{spec['name']}: only float32 weights are supported, got {spec['dtype']}")
    weights, specs = decode_groups(manifest, lambda paths: b"".join(base64.b64decode(shards[p]) for p in paths))
    return weights, {s["quantization"]["dtype"] if s.get("quantization") else "none" for s in specs}


def read_layers_model(package_dir: Path = DEFAULT_PACKAGE_DIR, model: str = "mobilenet_v2") -> TfjsLayersModel:
    """Load one of the nsfwjs package's bundled layers models from node_modules."""
    package_dir = Path(package_dir)
    version = json.loads((package_dir / "package.json").read_text())["version"]
    model_dir = package_dir / "dist" / "models" / model
    dump = _dump_with_node(model_dir)
    config = dump["modelTopology"]["model_config"]
    if config["class_name"] != "Model":
        raise ValueError(f"{model_dir}: expected a Keras functional Model, got {config['class_name']}")
    weights, quantization = _decode_weights(dump["weightsManifest"], dump["shards"])
    files = {p.name: sha256_file(p) for p in sorted(model_dir.glob("*.min.js"))}
    return TfjsLayersModel(
        package_version=version,
        model_dir=model_dir,
        layers=config["config"]["layers"],
        input_layers=[entry[0] for entry in config["config"]["input_layers"]],
        output_layers=[entry[0] for entry in config["config"]["output_layers"]],
        weights=weights,
        quantization=quantization,
        files=files,
    )
