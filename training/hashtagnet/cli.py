"""`hashtagnet`: one command line from tagged photos to a served bundle. Stages: shards, vocab, train, evaluate,
export; `pipeline` runs them all. Under torchrun: `torchrun --no-python ... hashtagnet train --recipe R`."""

from __future__ import annotations

import argparse
from pathlib import Path

from hashtagnet.data.stream import expand_sources
from hashtagnet.export import from_checkpoint
from hashtagnet.labels.emission import DEFAULT_FLOOR
from hashtagnet.train import streaming
from hashtagnet.train.recipe import load_recipe

from .pipeline import DEFAULT_RECIPE, run_pipeline
from .stages import evaluate_stage, print_json, shards_stage, vocab_stage


def _shards_parser(sub) -> None:
    p = sub.add_parser("shards", help="TAGS_FILE (path<TAB>#tag #tag, CSV or JSONL) -> WebDataset shards + metadata")
    p.add_argument("tags_file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--per-shard", type=int, default=1000)
    p.add_argument("--dedup-against", action="append", default=[], metavar="TAGS_FILE",
                   help="evaluation photos: training photos within 12 of 256 dHash bits of one are dropped")
    p.add_argument("--max-side", type=int, help="store photos larger than this shrunk (JPEG q90)")
    p.add_argument("--seed", type=int, default=0)


def _vocab_parser(sub) -> None:
    p = sub.add_parser("vocab", help="shards -> label_map.json, mapping.tsv (review), sampling factors")
    p.add_argument("--shards", action="append", required=True, help="paths, globs or brace patterns")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--targets", help="'imagenet' or a file of wnids (tags above them are kept as broad concepts)")
    p.add_argument("--top-k", type=int, default=0)
    p.add_argument("--min-count", type=int, default=1)
    p.add_argument("--floor", type=float, default=DEFAULT_FLOOR, help="least repeat factor of a labelled record")
    p.add_argument("--processes", type=int, default=2)


def _train_parser(sub) -> None:
    p = sub.add_parser("train", help="pretrain or fine-tune (model.init_from) by recipe, streaming from shards")
    p.add_argument("--recipe", type=Path, required=True)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    p.add_argument("--dry-run", action="store_true", help="print the resolved recipe and the shard count, train nothing")


def _evaluate_parser(sub) -> None:
    p = sub.add_parser("evaluate", help="top-1/top-5, NLL, ECE on labelled shards; into the bundle's manifest")
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--data", action="append", required=True, help="labelled shards (`label` in KEY.json)")
    p.add_argument("--bundle", type=Path, help="the exported bundle: its temperature, and metrics.evaluation")


def _pipeline_parser(sub) -> None:
    p = sub.add_parser("pipeline", help="all stages: TAGS_FILE -> OUT/bundle (serve with MODEL_DIR=OUT/bundle)")
    p.add_argument("tags_file")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--pretrain-steps", type=int, default=200)
    p.add_argument("--finetune-steps", type=int, default=100)
    p.add_argument("--val-share", type=float, default=0.2, help="photos held out (by a hash of the path)")
    p.add_argument("--recipe", type=Path, default=DEFAULT_RECIPE)
    p.add_argument("--max-side", type=int, default=512)
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; `export` takes export.from_checkpoint's options after it."""
    parser = argparse.ArgumentParser(prog="hashtagnet", description=__doc__)
    sub = parser.add_subparsers(dest="stage", required=True)
    for add in (_shards_parser, _vocab_parser, _train_parser, _evaluate_parser, _pipeline_parser):
        add(sub)
    sub.add_parser("export", help="checkpoint -> verified bundle (see: hashtagnet export --help)", add_help=False)
    return parser


def _train(args) -> dict:
    if not args.dry_run:
        return streaming.main(["--recipe", str(args.recipe), *[a for o in args.overrides for a in ("--set", o)]])
    recipe = load_recipe(args.recipe, args.overrides)
    shards = {k: len(expand_sources(recipe["data"][k])) for k in ("sources", "val_sources")}
    return print_json({"recipe": recipe, "shards": shards})


def main(argv: list[str] | None = None) -> dict:
    """Entry point of the `hashtagnet` console script."""
    args, rest = build_parser().parse_known_args(argv)
    if args.stage == "export":
        return from_checkpoint.main(rest)
    if rest:
        build_parser().error(f"unrecognised arguments: {' '.join(rest)}")
    if args.stage == "shards":
        return print_json(shards_stage(args.tags_file, args.out, per_shard=args.per_shard, seed=args.seed,
                                       dedup_against=args.dedup_against, max_side=args.max_side))
    if args.stage == "vocab":
        return print_json(vocab_stage(args.shards, args.out, targets=args.targets, top_k=args.top_k,
                                      min_count=args.min_count, floor=args.floor, processes=args.processes))
    if args.stage == "train":
        return _train(args)
    if args.stage == "evaluate":
        return print_json(evaluate_stage(args.checkpoint, args.data, args.bundle))
    return print_json(run_pipeline(args.tags_file, args.out, pretrain_steps=args.pretrain_steps,
                                   finetune_steps=args.finetune_steps, val_share=args.val_share, recipe=args.recipe,
                                   max_side=args.max_side, sets=args.overrides))


if __name__ == "__main__":
    main()
