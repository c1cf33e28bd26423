"""Weakly labelled scene photos: image files of unpacked Debian packages whose file name is a WordNet 3.0 noun under one
of a few nature concepts (sky, water, snow, field, forest, mountain, desert, fruit, planet; landscape gathers the first
seven). A name's token is looked up as a noun (a plural by its singular where WordNet has it); its first two senses (most
frequent first: "peach" is the tree before the fruit, "water" H2O before a body of water) and their hypernym closures
(instance hypernyms too) decide the concepts. Images whose name is a noun under no concept are the negatives; names
with no noun (photographers' names) are left out.

    python -m hashtagnet.heads.scene_weak --unpacked DIR --out records.jsonl   (DIR: corpus/scenes-weak.sh's output)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from pathlib import Path

WORDNET = Path("/usr/share/wordnet")
# concept -> anchor synsets (WordNet 3.0 noun offsets); a token is under the concept when its first sense is an anchor
# or lies below one.
CONCEPTS = {
    "sky": ["09436708", "11439690", "11458314"],  # sky; cloud (a visible mass of water droplets); fog
    "water": ["09225146", "14845743"],  # body of water; water (H2O: "water" names a lake or the sea in a file name)
    "snow": ["11508382", "15043763"],  # snow (precipitation); snow (a layer of snow on the ground)
    "field": ["08569998", "08570634"],  # field (cleared land); meadow
    "forest": ["08438533"],  # forest, wood, woods
    "mountain": ["09287968"],  # geological formation (mountain, hill, valley, canyon, dune, shore...)
    "desert": ["08505573"],  # desert
    "fruit": ["13134947", "07294550"],  # fruit (botany); edible fruit
    "planet": ["09394007", "09358358", "09239740"],  # planet; moon (natural satellite); celestial body
}
LANDSCAPE = ("sky", "water", "snow", "field", "forest", "mountain", "desert")
HEADS = ("landscape", *CONCEPTS)

# (package, version, licence, folder under DIR/<package>, file pattern). Only packages not held out.
SOURCES = [
    ("endless-sky-data", "0.9.8-1.2", "public domain (morguefile, unsplash) or CC-BY-SA-3.0/4.0 per file "
     "(debian/copyright, Files: images/land/*)", "usr/share/games/endless-sky/images/land", "*.jpg"),
    ("gcompris-qt-data", "3.1-2", "GPL-3+ and CC-BY-SA per activity (debian/copyright)", "rcc", "*.webp"),
    ("mate-backgrounds", "1.26.0-1", "GPL-2+ and CC-BY-SA (debian/copyright)", "usr/share/backgrounds", "*.jpg"),
    ("lomiri-wallpapers-16.04", "20.04.0-2", "CC-BY-SA-3.0 (debian/copyright)", "usr/share/backgrounds", "*.jpg"),
    ("lomiri-wallpapers-20.04", "20.04.0-2", "CC-BY-SA-3.0 (debian/copyright)", "usr/share/backgrounds", "*.jpg"),
    ("ukui-wallpapers", "20.04.3-1.1", "GPL-2+ and CC-BY-SA (debian/copyright)", "usr/share/backgrounds", "*.*g"),
    ("gnome-backgrounds", "43.1-1", "CC-BY-SA-3.0 (debian/copyright)", "usr/share/backgrounds", "*.webp"),
]
SKIP_FOLDERS = ("paintings", "details", "photo_hunter", "alphabets", "numbers")  # artworks and puzzles, not photos


def read_wordnet(root: Path = WORDNET) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Each noun lemma's first two senses, and each noun synset's hypernyms (@ and @i pointers)."""
    first = {}
    for line in (root / "index.noun").read_text().splitlines():
        if line.startswith(" "):
            continue
        parts = line.split()
        n_senses = int(parts[2])
        first[parts[0]] = parts[len(parts) - n_senses:][:2]
    parents = {}
    for line in (root / "data.noun").read_text(errors="replace").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split(" | ")[0].split()
        n_words = int(fields[3], 16)
        at = 4 + 2 * n_words
        n_pointers = int(fields[at])
        pointers = [fields[at + 1 + 4 * k:at + 5 + 4 * k] for k in range(n_pointers)]
        parents[fields[0]] = [p[1] for p in pointers if p[0] in ("@", "@i") and p[2] == "n"]
    return first, parents


def closure(synset: str, parents: dict[str, list[str]]) -> set[str]:
    """The synset and every hypernym above it."""
    seen, todo = set(), [synset]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(parents.get(s, []))
    return seen


def tokens(stem: str, nouns: dict) -> list[str]:
    """A file stem's words: split at camel case, digits, '_' and '-', lower case; the whole name first if several."""
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", stem)
    whole = "_".join(w.lower() for w in words)
    singular = [w[:-1] if w.endswith("s") and w[:-1] in nouns else w for w in (w.lower() for w in words)]
    return [whole, *singular] if len(words) > 1 else singular


def concepts_of(stem: str, first: dict, parents: dict) -> tuple[str, list[str]]:
    """The first token that is a WordNet noun, and the concepts its first senses lie under ('' and [] if none)."""
    for token in tokens(stem, first):
        if token in first:
            above = set().union(*(closure(sense, parents) for sense in first[token]))
            found = [c for c, anchors in CONCEPTS.items() if above.intersection(anchors)]
            if found:
                return token, found + (["landscape"] if set(found) & set(LANDSCAPE) else [])
            if len(token) > 2 and "_" not in token:
                return token, []
    return "", []


def records(unpacked: Path, excluded: set[str]) -> list[dict]:
    """One record per source image: path, package, licence, the name's token, its concepts, sha256."""
    first, parents = read_wordnet()
    out = []
    for package, version, licence, folder, pattern in SOURCES:
        for path in sorted((unpacked / package / folder).rglob(pattern)):
            if any(f"/{skip}/" in str(path) for skip in SKIP_FOLDERS):
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            if digest in excluded:
                continue
            token, concepts = concepts_of(path.stem, first, parents)
            out.append({"file": str(path), "package": package, "version": version, "licence": licence,
                        "token": token, "concepts": concepts, "sha256": digest})
    return out


def main() -> None:
    """Write the records of every source image not in an evaluation set (by sha256) as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--unpacked", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="label files whose images are left out")
    args = parser.parse_args()
    excluded = {i["sha256"] for f in args.exclude for i in json.loads(f.read_text())["images"]}
    rows = records(args.unpacked, excluded)
    args.out.write_text("".join(json.dumps(r) + "\n" for r in rows))
    counts = {h: sum(h in r["concepts"] for r in rows) for h in HEADS}
    print(f"{len(rows)} images ({len(excluded)} evaluation images left out by sha256); positives {counts}")


if __name__ == "__main__":
    main()
