from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ImageUrl")


@_attrs_define
class ImageUrl:
    """Image by URL, off unless the deployment sets `IMAGE_URL_ALLOWED_HOSTS` (otherwise 415 `image_url_disabled`).
    The service resolves the host itself, refuses any name that resolves to a private, loopback, link-local,
    CGNAT, multicast, unspecified or otherwise non-public address (400 `image_url_address_refused`) and connects
    to the address it checked; a host not on the list, a scheme other than https (http only with
    `IMAGE_URL_ALLOW_HTTP=true`) or credentials in the URL are 400 `image_url_not_allowed`. Each redirect is
    checked the same way, at most `IMAGE_URL_MAX_REDIRECTS` of them. The download is bounded by `BODY_LIMIT_BYTES`
    (413 `body_too_large`) and `IMAGE_URL_TIMEOUT_MS` in all (422 `image_url_timeout`); the bytes are sniffed and
    decoded as an upload is (415 `unsupported_media_type` for a non-image). A remote server that cannot be
    reached or answers other than 2xx is 422 `image_url_fetch_failed`: the URL is the client's input, so its
    failures are 4xx, never counted as the service's own 5xx errors.

        Attributes:
            url (str):
    """

    url: str

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        image_url = cls(
            url=url,
        )

        return image_url
