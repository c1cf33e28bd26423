"""WordNet 3.0 (the version ImageNet ids use): display names and the hypernym graph of a class list."""

from __future__ import annotations

import json
import shutil
import warnings
from functools import lru_cache
from pathlib import Path

import nltk.data
from nltk.corpus.reader import WordNetCorpusReader

from hashtagnet import REPO_ROOT

WORDNET_DIR = Path("/usr/share/wordnet")  # Debian package wordnet-base
DISPLAY_NAMES = Path(__file__).parent / "resources" / "display_names.json"
ROOT_ID = "n00001740"  # entity.n.01


# nltk's reader also wants the lexicographer-file table (lexnames(5WN)), which Debian's wordnet-base omits.
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body"
    " noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location"
    " noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process"
    " noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change"
    " verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation"
    " verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
STAGE_DIR = REPO_ROOT / "training" / ".cache" / "wordnet-3.0"


def _stage(source: Path, stage: Path) -> Path:
    """A directory nltk can open: copies of the Debian files (nltk refuses links) plus the lexnames table."""
    stage.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        copy = stage / item.name
        if item.is_file() and (not copy.exists() or copy.stat().st_size != item.stat().st_size):
            shutil.copyfile(item, copy)
    pos_code = {"adj": 3, "adv": 4, "noun": 1, "verb": 2}
    table = "".join(f"{i:02d}\t{n}\t{pos_code[n.split('.')[0]]}\n" for i, n in enumerate(LEXNAMES))
    (stage / "lexnames").write_text(table)
    return stage


class _WordNet30Reader(WordNetCorpusReader):
    """nltk's reader without the Open Multilingual Wordnet mapping, which needs nltk's downloaded corpus."""

    def map_wn(self, version="wordnet"):
        return None


@lru_cache(maxsize=1)
def load_wordnet(path: Path = WORDNET_DIR) -> WordNetCorpusReader:
    """Open the WordNet 3.0 database shipped by Debian's wordnet-base; fail loudly if it is not 3.0."""
    if not (Path(path) / "data.noun").exists():
        raise FileNotFoundError(f"WordNet 3.0 not found at {path}: apt-get install wordnet-base")
    stage = _stage(Path(path), STAGE_DIR)
    # nltk >= 3.9 only reads corpora under its data path; register both directories there.
    for root in (str(path), str(stage)):
        if root not in nltk.data.path:
            nltk.data.path.append(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available": expected, we use English only
        reader = _WordNet30Reader(str(stage), None)
    if reader.synset_from_pos_and_offset("n", 2123045).name() != "tabby.n.01":
        raise RuntimeError(f"{path} is not WordNet 3.0 (offset 02123045 is not tabby)")
    return reader


def wnid(synset) -> str:
    """The ImageNet-style id of a noun synset, e.g. n02123045."""
    return f"{synset.pos()}{synset.offset():08d}"


def synset(class_id: str):
    """The WordNet synset behind an id like n02123045."""
    if len(class_id) != 9 or class_id[0] != "n" or not class_id[1:].isdigit():
        raise ValueError(f"not a WordNet noun id: {class_id!r}")
    return load_wordnet().synset_from_pos_and_offset("n", int(class_id[1:]))


@lru_cache(maxsize=1)
def display_name_overrides() -> dict[str, str]:
    """Curated display names, kept as data: {wnid: name}."""
    return {k: v for k, v in json.loads(DISPLAY_NAMES.read_text()).items() if not k.startswith("_")}


def lemma_names(class_id: str) -> list[str]:
    """The synset's lemmas as words ("tabby", "tabby cat")."""
    return [lemma.name().replace("_", " ") for lemma in synset(class_id).lemmas()]


def display_name(class_id: str) -> str:
    """A name fit for a sentence: the curated override, else the first lemma, else a longer lemma that extends it."""
    override = display_name_overrides().get(class_id)
    if override:
        return override
    lemmas = lemma_names(class_id)
    first = lemmas[0]
    # "tabby, tabby cat": the lemma that contains the short head word reads better in a sentence.
    for other in lemmas[1:]:
        words = other.split()
        if len(words) <= 3 and first in words and other != first:
            return other
    return first


def parents(class_id: str) -> list[str]:
    """Direct hypernyms (class and instance) of a synset, as sorted ids (nltk's order varies between runs)."""
    node = synset(class_id)
    return sorted({wnid(p) for p in node.hypernyms() + node.instance_hypernyms()})


def ancestors(class_id: str) -> set[str]:
    """Every id above class_id up to entity, excluding class_id itself."""
    seen: set[str] = set()
    todo = parents(class_id)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents(current))
    return seen


def hierarchy_for(class_ids: list[str]) -> dict:
    """The hypernym graph of every class and every ancestor up to entity: {"root", "nodes": [{id, name, parents}]}."""
    order: list[str] = []
    seen: set[str] = set()
    todo = list(class_ids)
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        order.append(current)
        todo.extend(parents(current))
    if ROOT_ID not in seen:
        raise ValueError("hierarchy does not reach entity (n00001740)")
    nodes = [{"id": i, "name": display_name(i), "parents": parents(i)} for i in order]
    return {"root": ROOT_ID, "nodes": nodes}
