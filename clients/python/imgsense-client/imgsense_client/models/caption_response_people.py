from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="CaptionResponsePeople")


@_attrs_define
class CaptionResponsePeople:
    """People counted (never identified): the larger of the detector's person count and, where the face detector runs, the
    faces it is sure of. Present when the deployment runs a detector.

        Attributes:
            count (int):
    """

    count: int

    def to_dict(self) -> dict[str, Any]:
        count = self.count

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "count": count,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        caption_response_people = cls(
            count=count,
        )

        return caption_response_people
