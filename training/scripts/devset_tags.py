"""Writes a tags file (path<TAB>#tag #tag) from the hand-labelled photos of devset/labels.json: each photo's subjects
and acceptable words as hashtags, so `hashtagnet pipeline` can be tried on real photos tagged by hand."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hashtagnet import REPO_ROOT

DEVSET = REPO_ROOT / "devset" / "labels.json"


def devset_tag_lines(kinds: tuple[str, ...] = ("photo",), labels: Path = DEVSET) -> list[str]:
    """One `path<TAB>#tag ...` line per labelled image of the given kinds whose file exists, in file order."""
    lines = []
    for image in json.loads(labels.read_text())["images"]:
        path = Path(image["file"]) if Path(image["file"]).is_absolute() else REPO_ROOT / image["file"]
        if image["kind"] in kinds and path.exists():
            words = dict.fromkeys([*image["subjects"], *image.get("acceptable", [])])
            lines.append(f"{path}\t" + " ".join("#" + w.replace(" ", "") for w in words))
    return lines


def main(argv: list[str] | None = None) -> None:
    """CLI: --out tags.tsv [--kinds photo drawing ...]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--kinds", nargs="+", default=["photo"])
    args = parser.parse_args(argv)
    lines = devset_tag_lines(tuple(args.kinds))
    args.out.write_text("\n".join(lines) + "\n")
    print(f"{args.out}: {len(lines)} tagged images")


if __name__ == "__main__":
    main()
