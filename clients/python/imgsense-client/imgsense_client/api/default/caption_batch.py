from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_form import BatchForm
from ...models.caption_batch_features_item import CaptionBatchFeaturesItem
from ...models.caption_batch_response import CaptionBatchResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BatchForm,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionBatchFeaturesItem] | Unset = UNSET,
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
        "url": "/caption/batch",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CaptionBatchResponse | Problem | None:
    if response.status_code == 200:
        response_200 = CaptionBatchResponse.from_dict(response.json())

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
) -> Response[CaptionBatchResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchForm,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionBatchFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[CaptionBatchResponse | Problem]:
    """Caption several images in one request.

     A `multipart/form-data` form with up to `BATCH_MAX_IMAGES` (default 16) parts, each a file in the
    field
    `image` or, where the deployment allows image by URL (`IMAGE_URL_ALLOWED_HOSTS`), a text field
    `url`. The
    whole body is still bounded by `BODY_LIMIT_BYTES`. Takes the same query parameters as `/caption`,
    applied to
    every image. Each image is received, decoded and captioned exactly as by `/caption`, through the
    same
    batching, so the images of one request can share a model batch.

    The answer is 200 with one entry in `results` per part, in part order: either the caption (as
    `/caption`
    answers) or that image's own problem document (with its `status` and `code`, e.g. 415
    `unsupported_media_type`), so that one bad image does not fail the others. The request as a whole
    gets a
    problem document only for faults of the request itself: no image parts (400 `missing_image_field`),
    more
    parts than the limit (400 `too_many_images`), a body over the limit (413), a content type other than
    multipart (415), an invalid query (400), or admission (401, 429, 503).

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionBatchFeaturesItem] | Unset):
        lang (str | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaptionBatchResponse | Problem]
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
    body: BatchForm,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionBatchFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> CaptionBatchResponse | Problem | None:
    """Caption several images in one request.

     A `multipart/form-data` form with up to `BATCH_MAX_IMAGES` (default 16) parts, each a file in the
    field
    `image` or, where the deployment allows image by URL (`IMAGE_URL_ALLOWED_HOSTS`), a text field
    `url`. The
    whole body is still bounded by `BODY_LIMIT_BYTES`. Takes the same query parameters as `/caption`,
    applied to
    every image. Each image is received, decoded and captioned exactly as by `/caption`, through the
    same
    batching, so the images of one request can share a model batch.

    The answer is 200 with one entry in `results` per part, in part order: either the caption (as
    `/caption`
    answers) or that image's own problem document (with its `status` and `code`, e.g. 415
    `unsupported_media_type`), so that one bad image does not fail the others. The request as a whole
    gets a
    problem document only for faults of the request itself: no image parts (400 `missing_image_field`),
    more
    parts than the limit (400 `too_many_images`), a body over the limit (413), a content type other than
    multipart (415), an invalid query (400), or admission (401, 429, 503).

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionBatchFeaturesItem] | Unset):
        lang (str | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaptionBatchResponse | Problem
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
    body: BatchForm,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionBatchFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[CaptionBatchResponse | Problem]:
    """Caption several images in one request.

     A `multipart/form-data` form with up to `BATCH_MAX_IMAGES` (default 16) parts, each a file in the
    field
    `image` or, where the deployment allows image by URL (`IMAGE_URL_ALLOWED_HOSTS`), a text field
    `url`. The
    whole body is still bounded by `BODY_LIMIT_BYTES`. Takes the same query parameters as `/caption`,
    applied to
    every image. Each image is received, decoded and captioned exactly as by `/caption`, through the
    same
    batching, so the images of one request can share a model batch.

    The answer is 200 with one entry in `results` per part, in part order: either the caption (as
    `/caption`
    answers) or that image's own problem document (with its `status` and `code`, e.g. 415
    `unsupported_media_type`), so that one bad image does not fail the others. The request as a whole
    gets a
    problem document only for faults of the request itself: no image parts (400 `missing_image_field`),
    more
    parts than the limit (400 `too_many_images`), a body over the limit (413), a content type other than
    multipart (415), an invalid query (400), or admission (401, 429, 503).

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionBatchFeaturesItem] | Unset):
        lang (str | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CaptionBatchResponse | Problem]
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
    body: BatchForm,
    max_labels: int | Unset = 5,
    precision_target: float | Unset = UNSET,
    features: list[CaptionBatchFeaturesItem] | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> CaptionBatchResponse | Problem | None:
    """Caption several images in one request.

     A `multipart/form-data` form with up to `BATCH_MAX_IMAGES` (default 16) parts, each a file in the
    field
    `image` or, where the deployment allows image by URL (`IMAGE_URL_ALLOWED_HOSTS`), a text field
    `url`. The
    whole body is still bounded by `BODY_LIMIT_BYTES`. Takes the same query parameters as `/caption`,
    applied to
    every image. Each image is received, decoded and captioned exactly as by `/caption`, through the
    same
    batching, so the images of one request can share a model batch.

    The answer is 200 with one entry in `results` per part, in part order: either the caption (as
    `/caption`
    answers) or that image's own problem document (with its `status` and `code`, e.g. 415
    `unsupported_media_type`), so that one bad image does not fail the others. The request as a whole
    gets a
    problem document only for faults of the request itself: no image parts (400 `missing_image_field`),
    more
    parts than the limit (400 `too_many_images`), a body over the limit (413), a content type other than
    multipart (415), an invalid query (400), or admission (401, 429, 503).

    Args:
        max_labels (int | Unset):  Default: 5.
        precision_target (float | Unset):
        features (list[CaptionBatchFeaturesItem] | Unset):
        lang (str | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CaptionBatchResponse | Problem
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
