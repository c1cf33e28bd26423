from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ScoredLabel")


@_attrs_define
class ScoredLabel:
    """
    Attributes:
        id (str): WordNet 3.0 id, e.g. n02123045.
        name (str): Display name from the model bundle.
        score (float):
    """

    id: str
    name: str
    score: float

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        score = self.score

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        score = d.pop("score")

        scored_label = cls(
            id=id,
            name=name,
            score=score,
        )

        return scored_label
