"""A second-stage candidate for the kind decision, compared by the same grouped CV as kind_cv: a small logistic model
over the kind tree's evidence (text lines and coverage, ruled lines, paper white, panel...), the kind head's
probabilities and the tree's (gated) answer, with nested folds so the head's probabilities it learns from are
out-of-fold. Not shipped: on the 268 tuning images it never beat the gated head (training/README.md).

    python -m hashtagnet.heads.kind_stage --evidence tuning.jsonl --sets devset/labels.json ... [--out stage.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from .kind_cv import REPO, score
from .kind_data import API, KINDS, group_folds, load_real
from .kind_fit import fit
from .kind_gates import api_probabilities, gated, gates_of

RENDERED = ("screenshot", "document", "chart", "drawing")


def head_api(data: dict, train: np.ndarray, test: np.ndarray, l2: float) -> np.ndarray:
    """The head fitted on `train`, its API-kind probabilities on `test`."""
    y = np.array([KINDS.index(k) for k in data["fine"]])
    return api_probabilities(fit(data["logp"][train], y[train], KINDS, l2).probabilities(data["logp"][test]))


def stage_inputs(data: dict, rows: np.ndarray, head: np.ndarray, answers: list[str]) -> np.ndarray:
    """Evidence, the head's log-probabilities and the answer so far (one-hot), per row."""
    onehot = np.array([[a == k for k in API] for a in answers], np.float32)
    return np.hstack([data["evidence"][rows], np.log(np.maximum(head, 1e-4)), onehot])


def out_of_fold(data: dict, l2_head: float, l2_stage: float, folds: int, seed: int) -> tuple[np.ndarray, list[str]]:
    """Out-of-fold stage probabilities and the gated head's answers (pd@0.8) they start from."""
    n = len(data["truth"])
    fold, groups = group_folds(data["group"], folds, seed), np.array(data["group"])
    y = np.array([API.index(t) for t in data["truth"]])
    stage, base = np.zeros((n, len(API))), [""] * n
    for f in range(folds):
        train, test = np.where(fold != f)[0], np.where(fold == f)[0]
        inner, head_train = group_folds(list(groups[train]), folds - 1, seed), np.zeros((len(train), len(API)))
        for g in range(folds - 1):
            head_train[inner == g] = head_api(data, train[inner != g], train[inner == g], l2_head)
        head_test = head_api(data, train, test, l2_head)
        answers_train = gated(head_train, [data["rule"][i] for i in train], gates_of("pd", 0.8))
        answers_test = gated(head_test, [data["rule"][i] for i in test], gates_of("pd", 0.8))
        model = fit(stage_inputs(data, train, head_train, answers_train), y[train], API, l2_stage)
        stage[test] = model.probabilities(stage_inputs(data, test, head_test, answers_test))
        for i, a in zip(test, answers_test):
            base[i] = a
    return stage, base


def main() -> None:
    """Print and write the stage candidates' CV table: applied among rendered kinds only, or anywhere, at a bar."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--evidence", type=Path, required=True)
    parser.add_argument("--sets", type=Path, nargs="+", required=True)
    parser.add_argument("--l2", type=float, nargs="+", default=[0.1, 1.0, 10.0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    data = load_real(args.evidence, args.sets, REPO / "models/efficientnet-lite0", None)
    table = []
    for l2 in args.l2:
        for seed in range(args.seeds):
            stage, base = out_of_fold(data, 1.0, l2, args.folds, seed)
            table.append({"candidate": f"pd@0.8 seed={seed}", **score(data["truth"], data["fine"], base)})
            for bar in (0.0, 0.5, 0.7, 0.9):
                top = [API[int(k)] for k in stage.argmax(axis=1)]
                sure = stage.max(axis=1) >= bar
                among = [t if b in RENDERED and t in RENDERED and s else b for t, b, s in zip(top, base, sure)]
                anywhere = [t if s else b for t, b, s in zip(top, base, sure)]
                for where, said in (("rendered", among), ("any", anywhere)):
                    table.append({"candidate": f"stage l2={l2} seed={seed} {where}@{bar}", **score(data["truth"], data["fine"], said)})
            for row in table[-9:]:
                print(json.dumps(row), flush=True)
    if args.out:
        args.out.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
