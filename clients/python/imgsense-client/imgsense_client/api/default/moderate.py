from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.image_url import ImageUrl
from ...models.moderate_files_body import ModerateFilesBody
from ...models.moderate_thresholds import ModerateThresholds
from ...models.moderation_response import ModerationResponse
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ModerateFilesBody | ImageUrl | Unset = UNSET,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateThresholds | Unset = UNSET,
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
        "url": "/moderate",
        "params": params,
    }

    if isinstance(body, ModerateFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, ImageUrl):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ModerationResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ModerationResponse.from_dict(response.json())

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
) -> Response[ModerationResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: ModerateFilesBody | ImageUrl | Unset = UNSET,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateThresholds | Unset = UNSET,
) -> Response[ModerationResponse | Problem]:
    """Score an image against the deployment's moderation policy.

     Takes the same bodies as `/caption` (the image itself, or `multipart/form-data` with the file in
    `image`) and
    answers with the same errors. The image is decoded once and resized for each model the requested
    categories
    need; only those models run, through the same batching as `/caption`.

    Each category of the policy (default `policies/default.json`, replaced with `MODERATION_POLICY`)
    sums the
    probabilities of some classes of one model and is flagged when the sum reaches its threshold; the
    response
    is flagged when any category is. Every response carries the policy version and the name and version
    of each
    model that answered, so that a decision can be audited later.

    **What the models were trained on.** The NSFW model is MobileNetV2 from nsfwjs 4.4.0 (MIT),
    converted to
    ONNX without retraining; it was trained by its authors on web-scraped images in five classes
    (drawing,
    hentai, neutral, porn, sexy). It mistakes some skin-toned close-ups (a retinal fundus photo scores
    0.87
    porn) for sexual content, and its recall on sexual content has not been measured here. `weapons` and
    `alcohol` come from the caption model (ImageNet-1k, WordNet classes): `weapons` is the WordNet
    subtree of
    firearm (assault rifle, revolver, rifle), not knives, explosives or rockets; `alcohol` sees drinks
    and their
    bottles and glasses, not drinking. Scores are classifier probabilities, not calibrated rates of
    harm.

    **Not covered:** violence and gore, hate symbols, self-harm, drugs, minors (no model estimates age;
    nothing
    here detects child sexual abuse material, which needs hash matching against vetted lists). A
    category that
    no loaded model can score is absent from the response, never reported as a score of 0, and naming it
    in
    `categories` is a 400.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateThresholds | Unset):
        body (ModerateFilesBody):
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
        Response[ModerationResponse | Problem]
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
    body: ModerateFilesBody | ImageUrl | Unset = UNSET,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateThresholds | Unset = UNSET,
) -> ModerationResponse | Problem | None:
    """Score an image against the deployment's moderation policy.

     Takes the same bodies as `/caption` (the image itself, or `multipart/form-data` with the file in
    `image`) and
    answers with the same errors. The image is decoded once and resized for each model the requested
    categories
    need; only those models run, through the same batching as `/caption`.

    Each category of the policy (default `policies/default.json`, replaced with `MODERATION_POLICY`)
    sums the
    probabilities of some classes of one model and is flagged when the sum reaches its threshold; the
    response
    is flagged when any category is. Every response carries the policy version and the name and version
    of each
    model that answered, so that a decision can be audited later.

    **What the models were trained on.** The NSFW model is MobileNetV2 from nsfwjs 4.4.0 (MIT),
    converted to
    ONNX without retraining; it was trained by its authors on web-scraped images in five classes
    (drawing,
    hentai, neutral, porn, sexy). It mistakes some skin-toned close-ups (a retinal fundus photo scores
    0.87
    porn) for sexual content, and its recall on sexual content has not been measured here. `weapons` and
    `alcohol` come from the caption model (ImageNet-1k, WordNet classes): `weapons` is the WordNet
    subtree of
    firearm (assault rifle, revolver, rifle), not knives, explosives or rockets; `alcohol` sees drinks
    and their
    bottles and glasses, not drinking. Scores are classifier probabilities, not calibrated rates of
    harm.

    **Not covered:** violence and gore, hate symbols, self-harm, drugs, minors (no model estimates age;
    nothing
    here detects child sexual abuse material, which needs hash matching against vetted lists). A
    category that
    no loaded model can score is absent from the response, never reported as a score of 0, and naming it
    in
    `categories` is a 400.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateThresholds | Unset):
        body (ModerateFilesBody):
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
        ModerationResponse | Problem
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
    body: ModerateFilesBody | ImageUrl | Unset = UNSET,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateThresholds | Unset = UNSET,
) -> Response[ModerationResponse | Problem]:
    """Score an image against the deployment's moderation policy.

     Takes the same bodies as `/caption` (the image itself, or `multipart/form-data` with the file in
    `image`) and
    answers with the same errors. The image is decoded once and resized for each model the requested
    categories
    need; only those models run, through the same batching as `/caption`.

    Each category of the policy (default `policies/default.json`, replaced with `MODERATION_POLICY`)
    sums the
    probabilities of some classes of one model and is flagged when the sum reaches its threshold; the
    response
    is flagged when any category is. Every response carries the policy version and the name and version
    of each
    model that answered, so that a decision can be audited later.

    **What the models were trained on.** The NSFW model is MobileNetV2 from nsfwjs 4.4.0 (MIT),
    converted to
    ONNX without retraining; it was trained by its authors on web-scraped images in five classes
    (drawing,
    hentai, neutral, porn, sexy). It mistakes some skin-toned close-ups (a retinal fundus photo scores
    0.87
    porn) for sexual content, and its recall on sexual content has not been measured here. `weapons` and
    `alcohol` come from the caption model (ImageNet-1k, WordNet classes): `weapons` is the WordNet
    subtree of
    firearm (assault rifle, revolver, rifle), not knives, explosives or rockets; `alcohol` sees drinks
    and their
    bottles and glasses, not drinking. Scores are classifier probabilities, not calibrated rates of
    harm.

    **Not covered:** violence and gore, hate symbols, self-harm, drugs, minors (no model estimates age;
    nothing
    here detects child sexual abuse material, which needs hash matching against vetted lists). A
    category that
    no loaded model can score is absent from the response, never reported as a score of 0, and naming it
    in
    `categories` is a 400.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateThresholds | Unset):
        body (ModerateFilesBody):
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
        Response[ModerationResponse | Problem]
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
    body: ModerateFilesBody | ImageUrl | Unset = UNSET,
    categories: list[str] | Unset = UNSET,
    thresholds: ModerateThresholds | Unset = UNSET,
) -> ModerationResponse | Problem | None:
    """Score an image against the deployment's moderation policy.

     Takes the same bodies as `/caption` (the image itself, or `multipart/form-data` with the file in
    `image`) and
    answers with the same errors. The image is decoded once and resized for each model the requested
    categories
    need; only those models run, through the same batching as `/caption`.

    Each category of the policy (default `policies/default.json`, replaced with `MODERATION_POLICY`)
    sums the
    probabilities of some classes of one model and is flagged when the sum reaches its threshold; the
    response
    is flagged when any category is. Every response carries the policy version and the name and version
    of each
    model that answered, so that a decision can be audited later.

    **What the models were trained on.** The NSFW model is MobileNetV2 from nsfwjs 4.4.0 (MIT),
    converted to
    ONNX without retraining; it was trained by its authors on web-scraped images in five classes
    (drawing,
    hentai, neutral, porn, sexy). It mistakes some skin-toned close-ups (a retinal fundus photo scores
    0.87
    porn) for sexual content, and its recall on sexual content has not been measured here. `weapons` and
    `alcohol` come from the caption model (ImageNet-1k, WordNet classes): `weapons` is the WordNet
    subtree of
    firearm (assault rifle, revolver, rifle), not knives, explosives or rockets; `alcohol` sees drinks
    and their
    bottles and glasses, not drinking. Scores are classifier probabilities, not calibrated rates of
    harm.

    **Not covered:** violence and gore, hate symbols, self-harm, drugs, minors (no model estimates age;
    nothing
    here detects child sexual abuse material, which needs hash matching against vetted lists). A
    category that
    no loaded model can score is absent from the response, never reported as a score of 0, and naming it
    in
    `categories` is a 400.

    Args:
        categories (list[str] | Unset):
        thresholds (ModerateThresholds | Unset):
        body (ModerateFilesBody):
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
        ModerationResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            categories=categories,
            thresholds=thresholds,
        )
    ).parsed
