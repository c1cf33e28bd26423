from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.box import Box


T = TypeVar("T", bound="TextResultLinesItem")


@_attrs_define
class TextResultLinesItem:
    """
    Attributes:
        text (str):
        score (float): Mean probability of the line's characters.
        box (Box): A box in 0-1 image coordinates (x, y of the top-left corner).
    """

    text: str
    score: float
    box: Box

    def to_dict(self) -> dict[str, Any]:
        text = self.text

        score = self.score

        box = self.box.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
                "score": score,
                "box": box,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.box import Box  # noqa: PLC0415

        d = dict(src_dict)
        text = d.pop("text")

        score = d.pop("score")

        box = Box.from_dict(d.pop("box"))

        text_result_lines_item = cls(
            text=text,
            score=score,
            box=box,
        )

        return text_result_lines_item
