from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="HedgedLabel")


@_attrs_define
class HedgedLabel:
    """
    Attributes:
        id (str):
        name (str):
        score (float): Sum of the probabilities of the classes below this concept.
        path (list[str]): Ids from the hierarchy's root down to this concept.
    """

    id: str
    name: str
    score: float
    path: list[str]

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        score = self.score

        path = self.path

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "score": score,
                "path": path,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        score = d.pop("score")

        path = cast(list[str], d.pop("path"))

        hedged_label = cls(
            id=id,
            name=name,
            score=score,
            path=path,
        )

        return hedged_label
