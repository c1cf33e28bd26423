"""WordNet 3.0 for the hashtag stages: a reader over the Debian wordnet-base files and synset ids."""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

WORDNET_DIR = Path(os.environ.get("HASHTAGNET_WORDNET_DIR", "/usr/share/wordnet"))
SHADOW_DIR = Path(os.environ.get("HASHTAGNET_CACHE", Path.home() / ".cache" / "hashtagnet")) / "wordnet-3.0"

# Debian's wordnet-base ships the database without `lexnames`, which nltk's reader opens at start.
# Its content is fixed by WordNet 3.0 (lexnames(5WN)): file number, name, syntactic category.
_LEXNAMES = [
    ("adj.all", 3), ("adj.pert", 3), ("adv.all", 4), ("noun.Tops", 1), ("noun.act", 1), ("noun.animal", 1),
    ("noun.artifact", 1), ("noun.attribute", 1), ("noun.body", 1), ("noun.cognition", 1),
    ("noun.communication", 1), ("noun.event", 1), ("noun.feeling", 1), ("noun.food", 1), ("noun.group", 1),
    ("noun.location", 1), ("noun.motive", 1), ("noun.object", 1), ("noun.person", 1), ("noun.phenomenon", 1),
    ("noun.plant", 1), ("noun.possession", 1), ("noun.process", 1), ("noun.quantity", 1), ("noun.relation", 1),
    ("noun.shape", 1), ("noun.state", 1), ("noun.substance", 1), ("noun.time", 1), ("verb.body", 2),
    ("verb.change", 2), ("verb.cognition", 2), ("verb.communication", 2), ("verb.competition", 2),
    ("verb.consumption", 2), ("verb.contact", 2), ("verb.creation", 2), ("verb.emotion", 2), ("verb.motion", 2),
    ("verb.perception", 2), ("verb.possession", 2), ("verb.social", 2), ("verb.stative", 2), ("verb.weather", 2),
    ("adj.ppl", 3),
]


def _database_dir() -> Path:
    """The WordNet directory nltk can read: the system one, or a shadow of it with `lexnames` added."""
    if (WORDNET_DIR / "lexnames").exists():
        return WORDNET_DIR
    SHADOW_DIR.mkdir(parents=True, exist_ok=True)
    for source in WORDNET_DIR.iterdir():
        target = SHADOW_DIR / source.name
        if source.is_file() and not target.exists():
            shutil.copyfile(source, target)  # copies: nltk refuses symlinks that leave its root
    lexnames = SHADOW_DIR / "lexnames"
    if not lexnames.exists():
        lines = [f"{i:02d}\t{name}\t{cat}" for i, (name, cat) in enumerate(_LEXNAMES)]
        lexnames.write_text("\n".join(lines) + "\n")
    return SHADOW_DIR


@functools.lru_cache(maxsize=1)
def wordnet():
    """The WordNet 3.0 corpus reader (cached per process)."""
    import warnings

    import nltk
    from nltk.corpus.reader import WordNetCorpusReader

    root = _database_dir()
    for allowed in (str(root), str(WORDNET_DIR.resolve())):
        if allowed not in nltk.data.path:
            nltk.data.path.append(allowed)
    class EnglishWordNet(WordNetCorpusReader):
        def map_wn(self, version="wordnet"):
            return None  # the Open Multilingual WordNet mapping needs nltk_data, which we do not download

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions not available": we use English only
        return EnglishWordNet(str(root), None)


def synset_id(synset) -> str:
    """WordNet 3.0 offset id of a synset, e.g. n02132136."""
    return f"{synset.pos()}{synset.offset():08d}"


def synset_of(wnid: str):
    """The synset for an id like n02132136."""
    return wordnet().synset_from_pos_and_offset(wnid[0], int(wnid[1:]))


def display_name(wnid: str) -> str:
    """A readable name for a synset id: its first lemma with spaces."""
    return synset_of(wnid).lemma_names()[0].replace("_", " ")
