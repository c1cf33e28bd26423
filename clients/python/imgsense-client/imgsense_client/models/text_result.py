from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.model_ref import ModelRef
    from ..models.text_result_lines_item import TextResultLinesItem


T = TypeVar("T", bound="TextResult")


@_attrs_define
class TextResult:
    """Text read in the image (OCR). Present when the deployment runs OCR and the request did not turn it off. With
    `features=text` (the default) text is read when the image looks rendered (screens, pages, charts, graphics) or
    the classifier sees a thing that carries text (a sign, a menu, a book cover); `read` says whether it was.

        Attributes:
            read (bool): False when the image was judged a photo without text and OCR was skipped.
            content (str): Every legible line in reading order (top to bottom, left to right), joined by newlines.
            lines (list[TextResultLinesItem]):
            model (ModelRef):
    """

    read: bool
    content: str
    lines: list[TextResultLinesItem]
    model: ModelRef

    def to_dict(self) -> dict[str, Any]:
        read = self.read

        content = self.content

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        model = self.model.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "read": read,
                "content": content,
                "lines": lines,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_ref import ModelRef  # noqa: PLC0415
        from ..models.text_result_lines_item import TextResultLinesItem  # noqa: PLC0415

        d = dict(src_dict)
        read = d.pop("read")

        content = d.pop("content")

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = TextResultLinesItem.from_dict(lines_item_data)

            lines.append(lines_item)

        model = ModelRef.from_dict(d.pop("model"))

        text_result = cls(
            read=read,
            content=content,
            lines=lines,
            model=model,
        )

        return text_result
