"""Evaluation on WordNet classes: top-1/top-5, accuracy at each hierarchy depth, and the hedging curve."""

from __future__ import annotations

import functools

import numpy as np
import torch

from hashtagnet.data.corpus import ImageTable
from hashtagnet.labels.hedging import hedge_label
from hashtagnet.labels.hierarchy import Hierarchy, build_hierarchy
from hashtagnet.labels.wordnet_graph import hierarchy_for
from hashtagnet.labels.wordnet_graph import synset as synset_of
from hashtagnet.labels.wordnet_graph import wnid as synset_id

from .loop import to_model_input
from .transfer import expected_calibration_error


@torch.no_grad()
def predict_logits(model, table: ImageTable, recipe: dict, batch_size: int = 256) -> torch.Tensor:
    """Logits for every image of the table (no augmentation, eval mode, CPU)."""
    model.eval().cpu()
    out = [model(to_model_input(torch.from_numpy(table.images[i:i + batch_size]), recipe))
           for i in range(0, len(table), batch_size)]
    return torch.cat(out) if out else torch.zeros(0, len(table.classes))


def topk_accuracy(logits: torch.Tensor, labels: np.ndarray, ks=(1, 5)) -> dict:
    """Share of images whose label is among the k highest scores, for each k (capped at the class count)."""
    ranked = logits.topk(min(max(ks), logits.shape[1]), dim=1).indices.numpy()
    return {f"top{k}": float(np.mean([labels[i] in ranked[i, :k] for i in range(len(labels))])) for k in ks}


@functools.lru_cache(maxsize=4096)
def canonical_path(wnid: str) -> tuple[str, ...]:
    """Root-to-synset path along WordNet's first hypernym path."""
    return tuple(synset_id(s) for s in synset_of(wnid).hypernym_paths()[0])


def depth_accuracy(predicted: list[str], truth: list[str]) -> dict[int, float]:
    """For each depth d: prediction and truth cut to their depth-d ancestor (or themselves when shallower) agree."""
    deepest = max(len(canonical_path(t)) for t in truth)
    result = {}
    for depth in range(deepest):
        cut = lambda wnid: canonical_path(wnid)[min(depth, len(canonical_path(wnid)) - 1)]  # noqa: E731
        result[depth] = float(np.mean([cut(p) == cut(t) for p, t in zip(predicted, truth)]))
    return result


def class_hierarchy(classes: list[str]) -> Hierarchy:
    """The WordNet hierarchy of a class list, exactly as an exported bundle's manifest carries it."""
    return build_hierarchy([{"id": c, "name": c} for c in classes], hierarchy_for(classes))


def specificity(hierarchy: Hierarchy, node_id: str) -> float:
    """Information-style specificity: 1 for a class, 0 for a node above every class (1 - log n_below / log n)."""
    below = len(hierarchy.leaves[hierarchy.ids.index(node_id)])
    return 1.0 - np.log(below) / np.log(len(hierarchy.class_nodes))


def hedging_curve(probs: np.ndarray, classes: list[str], truth: list[str], thresholds=(0.0, 0.5, 0.7, 0.9, 0.99)) -> list[dict]:
    """Accuracy (the hedged node is the truth or its ancestor) against mean specificity, per threshold, hedging
    with the server's rule (labels/hedging.py)."""
    hierarchy = class_hierarchy(classes)
    lineages = [hierarchy.ancestors(classes.index(t)) for t in truth]
    curve = []
    for threshold in thresholds:
        nodes = [hedge_label(hierarchy, row, threshold).id for row in probs]
        correct = [n in lineage for n, lineage in zip(nodes, lineages)]
        curve.append({"threshold": threshold, "accuracy": round(float(np.mean(correct)), 4),
                      "specificity": round(float(np.mean([specificity(hierarchy, n) for n in nodes])), 4)})
    return curve


def evaluate_classifier(logits: torch.Tensor, table: ImageTable, temperature: float = 1.0) -> dict:
    """Top-1/top-5, NLL and ECE at the given temperature, depth accuracies, and the hedging curve."""
    labels = table.single_labels()
    probs = torch.softmax(logits / temperature, dim=1)
    predicted = [table.classes[i] for i in probs.argmax(1).tolist()]
    truth = [table.classes[i] for i in labels]
    nll = torch.nn.functional.nll_loss(torch.log(probs.clamp_min(1e-12)), torch.as_tensor(labels)).item()
    return {
        **{k: round(v, 4) for k, v in topk_accuracy(logits, labels).items()},
        "nll": round(nll, 4),
        "ece": round(expected_calibration_error(probs.numpy(), labels), 4),
        "accuracy_by_depth": {d: round(a, 4) for d, a in depth_accuracy(predicted, truth).items()},
        "hedging_curve": hedging_curve(probs.numpy(), table.classes, truth),
    }
