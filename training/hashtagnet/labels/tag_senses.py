"""The sense a photo tag means: a curated tag -> synset table, social affixes stripped (#catsofinstagram -> cats), and
otherwise the most frequent sense among WordNet's first few that names something a photo can show."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

SENSE_TABLE = Path(__file__).parent / "resources" / "tag_senses.tsv"
# Lexicographer files of things a photo can show; a tag whose senses all lie elsewhere (noun.act: #travel,
# noun.Tops: #space) is abstract and is not admitted as a class.
VISUAL_LEXNAMES = frozenset({"noun.animal", "noun.artifact", "noun.body", "noun.food", "noun.object", "noun.person",
                             "noun.plant", "noun.substance", "noun.phenomenon", "noun.location", "noun.group"})
SENSES_CONSIDERED = 3  # beyond WordNet's third sense, a visual reading is rarely what a photo tag means
# Longest first, so "ofinstagram" wins over "gram". Only stripped when at least MIN_STEM letters remain.
SUFFIXES = ("ofinstagram", "oftheday", "photography", "stagram", "lovers", "lover", "addict", "daily", "ofig",
            "gram", "life", "love", "porn", "time", "pics", "pic")
PREFIXES = ("insta", "my", "ilove")
MIN_STEM = 3


@lru_cache(maxsize=1)
def sense_table(path: Path = SENSE_TABLE) -> dict[str, str]:
    """{normalised tag: synset name} from the curated table (comments and blank lines ignored)."""
    rows = (line.split("\t") for line in path.read_text().splitlines() if line.strip() and not line.startswith("#"))
    return {tag.strip(): name.strip() for tag, name in rows}


def strip_affixes(compact: str) -> str | None:
    """The tag without one social suffix and/or prefix (#catsofinstagram -> cats, #mydog -> dog), or None."""
    stem = compact
    for suffix in SUFFIXES:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM:
            stem = stem[: -len(suffix)]
            break
    for prefix in PREFIXES:
        if stem.startswith(prefix) and len(stem) - len(prefix) >= MIN_STEM:
            stem = stem[len(prefix):]
            break
    return stem if stem != compact else None


def photo_sense(wn, lemma: str):
    """(synset, rule): the first of WordNet's first senses of `lemma` in a visual lexicographer file, else the first
    sense marked abstract; (None, 'no noun synset') when `lemma` has no noun sense."""
    senses = wn.synsets(lemma, pos="n")
    if not senses:
        return None, "no noun synset"
    for number, sense in enumerate(senses[:SENSES_CONSIDERED]):
        if sense.lexname() in VISUAL_LEXNAMES:
            return sense, "first sense" if number == 0 else f"sense {number + 1} (first visual)"
    return senses[0], f"abstract ({senses[0].lexname()})"
