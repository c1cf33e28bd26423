from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_form import BatchForm
from ...models.moderate_batch_thresholds import ModerateBatchThresholds
from ...models.moderation_batch_response import ModerationBatchResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: BatchForm,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateBatchThresholds | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_categories: list[str] | Unset = UNSET
    if not isinstance(categories, Unset):
        json_categories = categories

    if not isinstance(json_categories, Unset):
        params["categories"] = ",".join(str(item) for item in json_categories)

    json_thresholds: dict[str, Any] | Unset = UNSET
    if not isinstance(thresholds, Unset):
        json_thresholds = thresholds.to_dict()
    if not isinstance(json_thresholds, Unset):
        params.update({f"thresholds[{key}]": value for key, value in json_thresholds.items()})

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/moderate/batch",
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ModerationBatchResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ModerationBatchResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[ModerationBatchResponse | Problem]:
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
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateBatchThresholds | Unset = UNSET,
) -> Response[ModerationBatchResponse | Problem]:
    """Moderate several images in one request.

     The same form as `/caption/batch` (up to `BATCH_MAX_IMAGES` parts `image`, or `url` where allowed)
    with the
    same query parameters as `/moderate`, applied to every image; the query is checked against the
    policy before
    the body is read. 200 with one moderation result or problem document per part, in part order;
    request-level
    problems as for `/caption/batch`, and 404 when moderation is disabled.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateBatchThresholds | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModerationBatchResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        categories=categories,
        thresholds=thresholds,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: BatchForm,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateBatchThresholds | Unset = UNSET,
) -> ModerationBatchResponse | Problem | None:
    """Moderate several images in one request.

     The same form as `/caption/batch` (up to `BATCH_MAX_IMAGES` parts `image`, or `url` where allowed)
    with the
    same query parameters as `/moderate`, applied to every image; the query is checked against the
    policy before
    the body is read. 200 with one moderation result or problem document per part, in part order;
    request-level
    problems as for `/caption/batch`, and 404 when moderation is disabled.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateBatchThresholds | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModerationBatchResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        categories=categories,
        thresholds=thresholds,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: BatchForm,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateBatchThresholds | Unset = UNSET,
) -> Response[ModerationBatchResponse | Problem]:
    """Moderate several images in one request.

     The same form as `/caption/batch` (up to `BATCH_MAX_IMAGES` parts `image`, or `url` where allowed)
    with the
    same query parameters as `/moderate`, applied to every image; the query is checked against the
    policy before
    the body is read. 200 with one moderation result or problem document per part, in part order;
    request-level
    problems as for `/caption/batch`, and 404 when moderation is disabled.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateBatchThresholds | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModerationBatchResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        categories=categories,
        thresholds=thresholds,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: BatchForm,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateBatchThresholds | Unset = UNSET,
) -> ModerationBatchResponse | Problem | None:
    """Moderate several images in one request.

     The same form as `/caption/batch` (up to `BATCH_MAX_IMAGES` parts `image`, or `url` where allowed)
    with the
    same query parameters as `/moderate`, applied to every image; the query is checked against the
    policy before
    the body is read. 200 with one moderation result or problem document per part, in part order;
    request-level
    problems as for `/caption/batch`, and 404 when moderation is disabled.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateBatchThresholds | Unset):
        body (BatchForm): Parts in the order their results are wanted; parts in other fields are
            ignored. At most `BATCH_MAX_IMAGES`
            parts `image` and `url` together.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModerationBatchResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            categories=categories,
            thresholds=thresholds,
        )
    ).parsed
