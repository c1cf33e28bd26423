"""Each query parameter as the generated client puts it on the wire (the serialisation openapi.yaml names), then its effect on the real service."""

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from conftest import FIXTURES
from imgsense_client import AuthenticatedClient, Client
from imgsense_client.api.default import caption, caption_batch, moderate, moderate_batch
from imgsense_client.models import (
    BatchForm,
    CaptionBatchFeaturesItem,
    CaptionFeaturesItem,
    CaptionFilesBody,
    CaptionResponse,
    ModerateBatchThresholds,
    ModerateFilesBody,
    ModerateThresholds,
    ModerationResponse,
    Problem,
)
from imgsense_client.types import File, Unset

CAT = File(payload=(FIXTURES / "cat.jpg").read_bytes(), file_name="cat.jpg")


def sent_query(call, **params) -> list[tuple[str, str]]:
    """The query string the client sends for `call(**params)`, captured by a transport that answers 400."""
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(400, json={"type": "about:blank", "title": "t", "status": 400, "code": "invalid_request"})

    client = AuthenticatedClient(base_url="http://imgsense.test", token="k")
    client.set_httpx_client(httpx.Client(base_url="http://imgsense.test", transport=httpx.MockTransport(answer)))
    call.sync_detailed(client=client, **params)
    return parse_qsl(urlsplit(str(seen[0].url)).query, keep_blank_values=True)


WIRE = [
    ("caption max_labels", caption, {"max_labels": 3}, [("max_labels", "3")]),
    ("caption precision_target", caption, {"precision_target": 0.95}, [("max_labels", "5"), ("precision_target", "0.95")]),
    ("caption features (form, comma-separated)", caption, {"features": [CaptionFeaturesItem.OBJECTS, CaptionFeaturesItem.TEXT_ALWAYS]},
     [("max_labels", "5"), ("features", "objects,text_always")]),
    ("caption features empty (both off)", caption, {"features": []}, [("max_labels", "5"), ("features", "")]),
    ("caption lang", caption, {"lang": "fr-CA"}, [("max_labels", "5"), ("lang", "fr-CA")]),
    ("moderate categories (form, comma-separated)", moderate, {"categories": ["weapons", "alcohol"]}, [("categories", "weapons,alcohol")]),
    ("moderate thresholds (deepObject)", moderate, {"thresholds": ModerateThresholds.from_dict({"sexual": 0.8, "weapons": 0.3})},
     [("thresholds[sexual]", "0.8"), ("thresholds[weapons]", "0.3")]),
    ("caption_batch features", caption_batch, {"body": BatchForm(image=[CAT]), "features": [CaptionBatchFeaturesItem.TEXT]},
     [("max_labels", "5"), ("features", "text")]),
    ("moderate_batch thresholds (deepObject)", moderate_batch,
     {"body": BatchForm(image=[CAT]), "thresholds": ModerateBatchThresholds.from_dict({"alcohol": 0.4})}, [("thresholds[alcohol]", "0.4")]),
]


@pytest.mark.parametrize("name,call,params,expected", WIRE, ids=[case[0] for case in WIRE])
def test_when_a_parameter_is_given_then_it_is_sent_as_the_spec_serialises_it(name, call, params, expected):
    params.setdefault("body", CaptionFilesBody(image=CAT) if call is caption else ModerateFilesBody(image=CAT))
    assert sent_query(call, **params) == expected


def describe(service_url, **params) -> CaptionResponse:
    with Client(base_url=service_url) as client:
        result = caption.sync(client=client, body=CaptionFilesBody(image=CAT), **params)
    assert isinstance(result, CaptionResponse), result
    return result


def test_when_precision_target_is_given_then_the_service_uses_it(service_url):
    assert describe(service_url, precision_target=0.95).precision_target == 0.95


def test_when_lang_is_fr_then_the_alt_text_is_french(service_url):
    assert describe(service_url, lang="fr").lang == "fr"


def test_when_features_are_empty_then_neither_objects_nor_text_are_looked_for(service_url):
    result = describe(service_url, features=[])
    assert isinstance(result.objects, Unset) and isinstance(result.text, Unset)


def test_when_a_threshold_is_given_then_the_service_applies_it_and_a_flat_one_is_refused(service_url):
    with Client(base_url=service_url) as client:
        result = moderate.sync(client=client, body=ModerateFilesBody(image=CAT), thresholds=ModerateThresholds.from_dict({"weapons": 0.3}))
        assert isinstance(result, ModerationResponse), result
        assert {c.id: c.threshold for c in result.categories}["weapons"] == 0.3
        flat = client.get_httpx_client().post("/moderate", params={"weapons": "0.3"}, files={"image": ("cat.jpg", CAT.payload)})
    assert flat.status_code == 400
    problem = Problem.from_dict(flat.json())
    assert "unknown parameter weapons" in str(problem.detail)
