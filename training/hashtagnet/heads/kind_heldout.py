"""The shipped kind decision (src/caption/kind-head.json over the kind tree) measured once on the held-out images,
beside the tree alone: accuracy, the target's forbidden errors, confusion matrices and the images whose kind changed.

    python -m hashtagnet.heads.kind_heldout --evidence heldout.jsonl --sets devset/heldout.json [--head kind-head.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .kind_cv import REPO, score
from .kind_data import API, load_real
from .kind_gates import api_probabilities, gated
from .train import confusion


def shipped_decision(table: dict, logp: np.ndarray, rules: list[str]) -> list[str]:
    """What kind-head.ts answers: the tree, or another kind where one of the table's gates lets the head say it."""
    z = logp @ np.array(table["weight"]).T + np.array(table["bias"])
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    return gated(api_probabilities(p), rules, [(g["from"], g["to"], g["bar"]) for g in table["gates"]])


def markdown(matrix: dict, title: str) -> str:
    """A confusion matrix as a Markdown table, true kinds as rows, with each answered kind's precision."""
    rows = [f"**{title}**", "", "| truth \\ said | " + " | ".join(API) + " |", "|---" * (len(API) + 1) + "|"]
    for truth in API:
        counts = matrix.get(truth, {})
        rows.append(f"| {truth} ({sum(counts.values())}) | " + " | ".join(str(counts.get(s, "")) for s in API) + " |")
    right = [matrix.get(s, {}).get(s, 0) for s in API]
    called = [sum(matrix.get(t, {}).get(s, 0) for t in matrix) for s in API]
    return "\n".join(rows + ["| **precision** | " + " | ".join(f"{r}/{c}" for r, c in zip(right, called)) + " |"])


def main() -> None:
    """Print both tables and the images whose kind the head changed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evidence", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="+", required=True)
    parser.add_argument("--head", type=Path, default=REPO / "src/caption/kind-head.json")
    args = parser.parse_args()
    data = load_real(args.evidence, args.sets, REPO / "models/efficientnet-lite0", None)
    said = shipped_decision(json.loads(args.head.read_text()), data["logp"], data["rule"])
    for name, answers in (("kind tree (rules)", data["rule"]), ("kind tree + head (shipped)", said)):
        print(json.dumps({"decision": name, "images": len(answers), **score(data["truth"], data["fine"], answers)}))
        print(markdown(confusion(data["truth"], answers, API), f"{name}, {len(answers)} images") + "\n")
    for file, truth, rule, new in zip(data["files"], data["fine"], data["rule"], said):
        if rule != new:
            print(f"{'right' if new == data['truth'][data['files'].index(file)] else 'WRONG'}  {truth:9} {rule} -> {new}  {file}")


if __name__ == "__main__":
    main()
