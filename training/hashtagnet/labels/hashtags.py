"""Hashtags to WordNet noun synsets: extraction, normalisation, morphology, splitting, most frequent sense."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, replace

from .tag_senses import photo_sense, sense_table, strip_affixes
from .wordnet_graph import load_wordnet
from .wordnet_graph import wnid as synset_id

# \w is Unicode-aware on str; text is NFC-composed first so accented letters are single word characters.
_HASHTAG = re.compile(r"(?<![\w#&])[#＃](\w+)")
_MIN_PIECE = 3  # pieces of a split tag shorter than this ("a", "ie", "no") are mostly noise


def extract_hashtags(text: str) -> list[str]:
    """Hashtags in a caption, in order, without '#', as written (Unicode-aware, fullwidth # too)."""
    return _HASHTAG.findall(unicodedata.normalize("NFC", text or ""))


def normalise_tag(tag: str) -> str:
    """Casefold, NFKD and strip diacritics, drop separators: '#Crème_Brûlée' -> 'cremebrulee'."""
    decomposed = unicodedata.normalize("NFKD", tag.lstrip("#＃"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "".join(ch for ch in plain.casefold() if ch.isalnum())


def _compact(lemma: str) -> str:
    return normalise_tag(lemma.replace("_", "").replace("-", ""))


@dataclass(frozen=True)
class Mapping:
    """How one tag was canonicalised: its lemma pieces, the chosen noun lemma and synset id (None if unmapped)."""

    tag: str
    pieces: tuple[str, ...]
    lemma: str | None
    wnid: str | None
    rule: str = "first sense"  # how the sense was chosen (photo senses: table, affix, first visual, abstract)
    visual: bool = True  # False: every considered sense is abstract (#travel), so the tag is not a class


class Canonicaliser:
    """Maps hashtags to WordNet 3.0 noun synsets the way Mahajan et al. (2018) canonicalise them."""

    def __init__(self, head_fallback: bool = True, photo: bool = False):
        self.wn = load_wordnet()
        self.head_fallback, self.photo = head_fallback, photo
        self.lemmas = self._compact_index()
        self.noun_rules = self.wn.MORPHOLOGICAL_SUBSTITUTIONS["n"]
        self.noun_exceptions = self.wn._exception_map["n"]

    def _compact_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for name in sorted(self.wn.all_lemma_names()):
            index.setdefault(_compact(name), name)
        for name in sorted(self.wn.all_lemma_names(pos="n")):
            index[_compact(name)] = name  # a noun reading wins a collision between parts of speech
        index.pop("", None)
        return index

    def _base_form(self, piece: str) -> str | None:
        """The lemma a compact piece stands for, trying WordNet's noun morphology (plurals) when needed."""
        if piece in self.lemmas:
            return self.lemmas[piece]
        for base in self.noun_exceptions.get(piece, []):
            if _compact(base) in self.lemmas:
                return self.lemmas[_compact(base)]
        for suffix, ending in self.noun_rules:
            if piece.endswith(suffix) and len(piece) > len(suffix):
                base = piece[: len(piece) - len(suffix)] + ending
                if base in self.lemmas:
                    return self.lemmas[base]
        return None

    def split(self, compact: str) -> tuple[str, ...] | None:
        """Fewest WordNet lemmas that spell the tag (dynamic programming); one piece when it is a lemma."""
        n = len(compact)
        best: list[tuple[int, tuple[str, ...]] | None] = [None] * (n + 1)
        best[0] = (0, ())
        for end in range(1, n + 1):
            for start in range(end):
                if best[start] is None:
                    continue
                piece = compact[start:end]
                whole = start == 0 and end == n
                if not whole and len(piece) < _MIN_PIECE:
                    continue
                lemma = self._base_form(piece)
                if lemma is None:
                    continue
                count, pieces = best[start]
                candidate = (count + 1, pieces + (lemma,))
                if best[end] is None or candidate[0] < best[end][0]:
                    best[end] = candidate
        return best[n][1] if best[n] else None

    def _noun_lemma(self, pieces: tuple[str, ...]) -> str | None:
        phrase = "_".join(pieces)
        if self.wn.synsets(phrase, pos="n"):
            return phrase
        if self.head_fallback:  # English compounds are head-final: #happydog is a dog
            for start in range(1, len(pieces)):
                head = "_".join(pieces[start:])
                if self.wn.synsets(head, pos="n"):
                    return head
        return None

    @functools.lru_cache(maxsize=1 << 16)
    def map_tag(self, tag: str) -> Mapping:
        """Canonicalise one hashtag to its most frequent noun sense (WordNet's first synset)."""
        compact = normalise_tag(tag)
        if self.photo:
            return self._photo_mapping(compact)
        pieces = self.split(compact) if compact else None
        lemma = self._noun_lemma(pieces) if pieces else None
        wnid = synset_id(self.wn.synsets(lemma, pos="n")[0]) if lemma else None
        return Mapping(tag=compact, pieces=pieces or (), lemma=lemma, wnid=wnid)

    def _photo_mapping(self, compact: str, stripped: bool = False) -> Mapping:
        """The sense a photo tag means: the sense table, then the tag without a social affix (once), then the split
        tag's first visual sense (labels/tag_senses.py)."""
        if compact in sense_table():
            sense = self.wn.synset(sense_table()[compact])
            return Mapping(compact, (compact,), sense.lemmas()[0].name(), synset_id(sense), "sense table")
        stem = None if stripped or compact in self.lemmas else strip_affixes(compact)
        if stem:
            inner = self._photo_mapping(stem, stripped=True)
            if inner.wnid:
                return replace(inner, tag=compact, rule=f"affix stripped to {stem}: {inner.rule}")
        pieces = self.split(compact) if compact else None
        lemma = self._noun_lemma(pieces) if pieces else None
        if lemma is None:
            return Mapping(compact, pieces or (), None, None, "no noun synset", False)
        if _compact(lemma) in sense_table() and _compact(lemma) != compact:
            return replace(self._photo_mapping(_compact(lemma), True), tag=compact, pieces=pieces)
        sense, rule = photo_sense(self.wn, lemma)
        return Mapping(compact, pieces, lemma, synset_id(sense), rule, not rule.startswith("abstract"))

    def map_caption(self, text: str = "", hashtags: list[str] | None = None) -> list[Mapping]:
        """Mappings for the hashtags of a caption plus any explicit hashtag list, de-duplicated by tag."""
        seen, out = set(), []
        for tag in extract_hashtags(text) + list(hashtags or []):
            mapping = self.map_tag(tag)
            if mapping.tag and mapping.tag not in seen:
                seen.add(mapping.tag)
                out.append(mapping)
        return out


@functools.lru_cache(maxsize=4)
def default_canonicaliser(head_fallback: bool = True, photo: bool = False) -> Canonicaliser:
    """A shared Canonicaliser per process (building its lemma index takes about a second); photo: the senses a photo
    tag means (the vocabulary pass), else WordNet's most frequent sense (the miniature's canonicalisation)."""
    return Canonicaliser(head_fallback=head_fallback, photo=photo)
