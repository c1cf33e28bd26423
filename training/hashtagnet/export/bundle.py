"""Model bundles on disk: models/<name>/{model.onnx, model.json}, validated against the shared schema."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema

from hashtagnet import MANIFEST_SCHEMA
from hashtagnet.labels.hierarchy import build_hierarchy

MANIFEST_FILE = "model.json"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_schema() -> dict:
    """The manifest JSON Schema shared with the TypeScript server."""
    return json.loads(MANIFEST_SCHEMA.read_text())


def schema_errors(manifest: dict) -> list[jsonschema.ValidationError]:
    """Every way the manifest breaks the shared JSON Schema (empty when it conforms)."""
    return list(jsonschema.Draft202012Validator(load_schema()).iter_errors(manifest))


def validate_manifest(manifest: dict) -> None:
    """Raise jsonschema.ValidationError when the manifest breaks the schema, then HierarchyError when a caption
    manifest's hierarchy is inconsistent (the checks and messages of the server's loader)."""
    jsonschema.Draft202012Validator(load_schema()).validate(manifest)
    if manifest["task"] == "caption":
        build_hierarchy(manifest["classes"], manifest.get("hierarchy"))


def write_manifest(bundle_dir: Path, manifest: dict) -> Path:
    """Fill in the model's sha256, validate, and write model.json last (after the model is final)."""
    bundle_dir = Path(bundle_dir)
    manifest = dict(manifest)
    manifest["sha256"] = sha256_file(bundle_dir / manifest["model_file"])
    validate_manifest(manifest)
    out = bundle_dir / MANIFEST_FILE
    out.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return out


def read_bundle(bundle_dir: Path) -> dict:
    """Load and validate a bundle's manifest and check the model file's sha256."""
    bundle_dir = Path(bundle_dir)
    manifest = json.loads((bundle_dir / MANIFEST_FILE).read_text())
    validate_manifest(manifest)
    actual = sha256_file(bundle_dir / manifest["model_file"])
    if actual != manifest["sha256"]:
        raise ValueError(f"{bundle_dir}: model sha256 {actual} does not match manifest {manifest['sha256']}")
    return manifest
