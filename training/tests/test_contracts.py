"""The shared vectors in contracts/ (the server runs the same files): hedging, manifest validation and the resize rule."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pytest

from hashtagnet import REPO_ROOT
from hashtagnet.data import images
from hashtagnet.export import bundle
from hashtagnet.labels.hedging import hedge_label
from hashtagnet.labels.hierarchy import HierarchyError, build_hierarchy

CONTRACTS = REPO_ROOT / "contracts"
HEDGING = json.loads((CONTRACTS / "hedging-vectors.json").read_text())
MANIFESTS = json.loads((CONTRACTS / "manifest-vectors.json").read_text())
RESIZES = json.loads((CONTRACTS / "resize-vectors.json").read_text())
SCHEMA_CASES = [case for case in MANIFESTS["invalid"] if case["kind"] == "schema"]
SEMANTIC_CASES = [case for case in MANIFESTS["invalid"] if case["kind"] == "semantic"]


def _pointers(error: jsonschema.ValidationError) -> set[str]:
    """JSON pointers an error (and the errors inside a oneOf/anyOf) points at; a missing member points at itself."""
    base = "".join(f"/{part}" for part in error.absolute_path)
    found = {base}
    if error.validator == "required" and isinstance(error.instance, dict):
        found |= {f"{base}/{name}" for name in error.validator_value if name not in error.instance}
    for inner in error.context or []:
        found |= _pointers(inner)
    return found


@pytest.mark.parametrize("case", HEDGING["cases"], ids=lambda case: case["name"])
def test_the_hedged_label_is_the_vector_s_expected_node_and_path(case):
    hierarchy = build_hierarchy(HEDGING["classes"], HEDGING["hierarchy"])
    label = hedge_label(hierarchy, np.array(case["probabilities"]), case["precision_target"])
    assert {"id": label.id, "name": label.name, "path": list(label.path)} == case["expected"]
    assert label.is_root == (label.id == HEDGING["hierarchy"]["root"])


def test_the_valid_manifest_passes_and_carries_the_hedging_hierarchy():
    bundle.validate_manifest(MANIFESTS["valid"])
    assert MANIFESTS["valid"]["classes"] == HEDGING["classes"]
    assert MANIFESTS["valid"]["hierarchy"] == HEDGING["hierarchy"]


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=lambda case: case["name"])
def test_when_a_manifest_breaks_the_schema_then_validation_names_the_member(case):
    with pytest.raises(jsonschema.ValidationError):
        bundle.validate_manifest(case["manifest"])
    assert case["at"] in set().union(*(_pointers(e) for e in bundle.schema_errors(case["manifest"])))


@pytest.mark.parametrize("case", SEMANTIC_CASES, ids=lambda case: case["name"])
def test_when_a_schema_valid_manifest_has_a_broken_hierarchy_then_the_loader_s_message_is_raised(case):
    assert bundle.schema_errors(case["manifest"]) == []
    with pytest.raises(HierarchyError) as caught:
        bundle.validate_manifest(case["manifest"])
    assert case["error"] in str(caught.value)


@pytest.mark.parametrize("case", RESIZES["cases"], ids=lambda case: case["name"])
def test_the_centre_crop_region_is_the_vector_s(case):
    size, spec = case["image"], case["input"]
    box = images.center_crop_region(size["width"], size["height"], spec["resize"]["shorter_side"], spec["width"], spec["height"])
    region = case["region"]
    assert box == (region["left"], region["top"], region["left"] + region["width"], region["top"] + region["height"])
