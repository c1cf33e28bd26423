from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ModerationCategory")


@_attrs_define
class ModerationCategory:
    """
    Attributes:
        id (str): Category id from the policy, e.g. `weapons`.
        name (str):
        parent (str): The parent category of the policy's two-level taxonomy.
        score (float): Sum of the probabilities of the category's classes.
        threshold (float): The threshold applied (the policy's, or the request's override).
        flagged (bool): score >= threshold
    """

    id: str
    name: str
    parent: str
    score: float
    threshold: float
    flagged: bool

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        parent = self.parent

        score = self.score

        threshold = self.threshold

        flagged = self.flagged

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "parent": parent,
                "score": score,
                "threshold": threshold,
                "flagged": flagged,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        parent = d.pop("parent")

        score = d.pop("score")

        threshold = d.pop("threshold")

        flagged = d.pop("flagged")

        moderation_category = cls(
            id=id,
            name=name,
            parent=parent,
            score=score,
            threshold=threshold,
            flagged=flagged,
        )

        return moderation_category
