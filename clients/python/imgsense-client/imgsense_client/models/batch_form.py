from __future__ import annotations

from collections.abc import Mapping
from io import BytesIO
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..types import UNSET, File, FileTypes, Unset

T = TypeVar("T", bound="BatchForm")


@_attrs_define
class BatchForm:
    """Parts in the order their results are wanted; parts in other fields are ignored. At most `BATCH_MAX_IMAGES`
    parts `image` and `url` together.

        Attributes:
            image (list[File] | Unset): The images, whatever their declared type (the real format is detected from the
                bytes).
            url (list[str] | Unset): Image URLs, each fetched as for a `{"url"}` body (only where IMAGE_URL_ALLOWED_HOSTS is
                set).
    """

    image: list[File] | Unset = UNSET
    url: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        image: list[FileTypes] | Unset = UNSET
        if not isinstance(self.image, Unset):
            image = []
            for image_item_data in self.image:
                image_item = image_item_data.to_tuple()

                image.append(image_item)

        url: list[str] | Unset = UNSET
        if not isinstance(self.url, Unset):
            url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if image is not UNSET:
            field_dict["image"] = image
        if url is not UNSET:
            field_dict["url"] = url

        return field_dict

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.image, Unset):
            for image_item_element in self.image:
                files.append(("image", image_item_element.to_tuple()))

        if not isinstance(self.url, Unset):
            for url_item_element in self.url:
                files.append(("url", (None, str(url_item_element).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _image = d.pop("image", UNSET)
        image: list[File] | Unset = UNSET
        if _image is not UNSET:
            image = []
            for image_item_data in _image:
                image_item = File(payload=BytesIO(image_item_data))

                image.append(image_item)

        url = cast(list[str], d.pop("url", UNSET))

        batch_form = cls(
            image=image,
            url=url,
        )

        batch_form.additional_properties = d
        return batch_form

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
