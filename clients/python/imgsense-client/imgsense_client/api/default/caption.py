from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.caption_features_item import CaptionFeaturesItem
from ...models.caption_files_body import CaptionFilesBody
from ...models.caption_response import CaptionResponse
from ...models.image_url import ImageUrl
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: CaptionFilesBody | ImageUrl | Unset = UNSET,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["max_labels"] = max_labels

    params["precision_target"] = precision_target

    json_features: list[str] | Unset = UNSET
    if not isinstance(features, Unset):
        json_features = []
        for features_item_data in features:
            features_item = features_item_data.value
            json_features.append(features_item)

    if not isinstance(json_features, Unset):
        params["features"] = ",".join(str(item) for item in json_features)

    params["lang"] = lang

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/caption",
        "params": params,
    }

    if isinstance(body, CaptionFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, ImageUrl):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CaptionResponse | Problem | None:
    if response.status_code == 200:
        response_200 = CaptionResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 408:
        response_408 = Problem.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Problem.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CaptionResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CaptionFilesBody | ImageUrl | Unset = UNSET,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[CaptionResponse | Problem]:
    """Describe an image in one short, honestly hedged sentence.

     The body is the image itself (one of the listed image content types) or a `multipart/form-data` form
    with the
    file in the field `image`. The real format is detected from the bytes; SVG, PDF and other formats
    are refused.

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionFeaturesItem] | Unset):
        lang (str | Unset):
        body (CaptionFilesBody):
        body (ImageUrl): Image by URL, off unless the deployment sets `IMAGE_URL_ALLOWED_HOSTS`
            (otherwise 415 `image_url_disabled`).
            The service resolves the host itself, refuses any name that resolves to a private,
            loopback, link-local,
            CGNAT, multicast, unspecified or otherwise non-public address (400
            `image_url_address_refused`) and connects
            to the address it checked; a host not on the list, a scheme other than https (http only
            with
            `IMAGE_URL_ALLOW_HTTP=true`) or credentials in the URL are 400 `image_url_not_allowed`.
            Each redirect is
            checked the same way, at most `IMAGE_URL_MAX_REDIRECTS` of them. The download is bounded
            by `BODY_LIMIT_BYTES`
            (413 `body_too_large`) and `IMAGE_URL_TIMEOUT_MS` in all (422 `image_url_timeout`); the
            bytes are sniffed and
            decoded as an upload is (415 `unsupported_media_type` for a non-image). A remote server
            that cannot be
            reached or answers other than 2xx is 422 `image_url_fetch_failed`: the URL is the client's
            input, so its
            failures are 4xx, never counted as the service's own 5xx errors.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaptionResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        max_labels=max_labels,
        precision_target=precision_target,
        features=features,
        lang=lang,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CaptionFilesBody | ImageUrl | Unset = UNSET,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> CaptionResponse | Problem | None:
    """Describe an image in one short, honestly hedged sentence.

     The body is the image itself (one of the listed image content types) or a `multipart/form-data` form
    with the
    file in the field `image`. The real format is detected from the bytes; SVG, PDF and other formats
    are refused.

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionFeaturesItem] | Unset):
        lang (str | Unset):
        body (CaptionFilesBody):
        body (ImageUrl): Image by URL, off unless the deployment sets `IMAGE_URL_ALLOWED_HOSTS`
            (otherwise 415 `image_url_disabled`).
            The service resolves the host itself, refuses any name that resolves to a private,
            loopback, link-local,
            CGNAT, multicast, unspecified or otherwise non-public address (400
            `image_url_address_refused`) and connects
            to the address it checked; a host not on the list, a scheme other than https (http only
            with
            `IMAGE_URL_ALLOW_HTTP=true`) or credentials in the URL are 400 `image_url_not_allowed`.
            Each redirect is
            checked the same way, at most `IMAGE_URL_MAX_REDIRECTS` of them. The download is bounded
            by `BODY_LIMIT_BYTES`
            (413 `body_too_large`) and `IMAGE_URL_TIMEOUT_MS` in all (422 `image_url_timeout`); the
            bytes are sniffed and
            decoded as an upload is (415 `unsupported_media_type` for a non-image). A remote server
            that cannot be
            reached or answers other than 2xx is 422 `image_url_fetch_failed`: the URL is the client's
            input, so its
            failures are 4xx, never counted as the service's own 5xx errors.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaptionResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        max_labels=max_labels,
        precision_target=precision_target,
        features=features,
        lang=lang,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CaptionFilesBody | ImageUrl | Unset = UNSET,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[CaptionResponse | Problem]:
    """Describe an image in one short, honestly hedged sentence.

     The body is the image itself (one of the listed image content types) or a `multipart/form-data` form
    with the
    file in the field `image`. The real format is detected from the bytes; SVG, PDF and other formats
    are refused.

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionFeaturesItem] | Unset):
        lang (str | Unset):
        body (CaptionFilesBody):
        body (ImageUrl): Image by URL, off unless the deployment sets `IMAGE_URL_ALLOWED_HOSTS`
            (otherwise 415 `image_url_disabled`).
            The service resolves the host itself, refuses any name that resolves to a private,
            loopback, link-local,
            CGNAT, multicast, unspecified or otherwise non-public address (400
            `image_url_address_refused`) and connects
            to the address it checked; a host not on the list, a scheme other than https (http only
            with
            `IMAGE_URL_ALLOW_HTTP=true`) or credentials in the URL are 400 `image_url_not_allowed`.
            Each redirect is
            checked the same way, at most `IMAGE_URL_MAX_REDIRECTS` of them. The download is bounded
            by `BODY_LIMIT_BYTES`
            (413 `body_too_large`) and `IMAGE_URL_TIMEOUT_MS` in all (422 `image_url_timeout`); the
            bytes are sniffed and
            decoded as an upload is (415 `unsupported_media_type` for a non-image). A remote server
            that cannot be
            reached or answers other than 2xx is 422 `image_url_fetch_failed`: the URL is the client's
            input, so its
            failures are 4xx, never counted as the service's own 5xx errors.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaptionResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        max_labels=max_labels,
        precision_target=precision_target,
        features=features,
        lang=lang,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CaptionFilesBody | ImageUrl | Unset = UNSET,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> CaptionResponse | Problem | None:
    """Describe an image in one short, honestly hedged sentence.

     The body is the image itself (one of the listed image content types) or a `multipart/form-data` form
    with the
    file in the field `image`. The real format is detected from the bytes; SVG, PDF and other formats
    are refused.

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionFeaturesItem] | Unset):
        lang (str | Unset):
        body (CaptionFilesBody):
        body (ImageUrl): Image by URL, off unless the deployment sets `IMAGE_URL_ALLOWED_HOSTS`
            (otherwise 415 `image_url_disabled`).
            The service resolves the host itself, refuses any name that resolves to a private,
            loopback, link-local,
            CGNAT, multicast, unspecified or otherwise non-public address (400
            `image_url_address_refused`) and connects
            to the address it checked; a host not on the list, a scheme other than https (http only
            with
            `IMAGE_URL_ALLOW_HTTP=true`) or credentials in the URL are 400 `image_url_not_allowed`.
            Each redirect is
            checked the same way, at most `IMAGE_URL_MAX_REDIRECTS` of them. The download is bounded
            by `BODY_LIMIT_BYTES`
            (413 `body_too_large`) and `IMAGE_URL_TIMEOUT_MS` in all (422 `image_url_timeout`); the
            bytes are sniffed and
            decoded as an upload is (415 `unsupported_media_type` for a non-image). A remote server
            that cannot be
            reached or answers other than 2xx is 422 `image_url_fetch_failed`: the URL is the client's
            input, so its
            failures are 4xx, never counted as the service's own 5xx errors.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaptionResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            max_labels=max_labels,
            precision_target=precision_target,
            features=features,
            lang=lang,
        )
    ).parsed
