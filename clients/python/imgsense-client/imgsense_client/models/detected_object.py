from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.detected_object_box import DetectedObjectBox


T = TypeVar("T", bound="DetectedObject")


@_attrs_define
class DetectedObject:
    """
    Attributes:
        id (str): WordNet 3.0 noun synset id of the detector class, e.g. n02084071 (dog).
        name (str):
        score (float):
        box (DetectedObjectBox): The box in 0-1 image coordinates (x, y of the top-left corner).
    """

    id: str
    name: str
    score: float
    box: DetectedObjectBox

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        score = self.score

        box = self.box.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "score": score,
                "box": box,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.detected_object_box import DetectedObjectBox  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        score = d.pop("score")

        box = DetectedObjectBox.from_dict(d.pop("box"))

        detected_object = cls(
            id=id,
            name=name,
            score=score,
            box=box,
        )

        return detected_object
