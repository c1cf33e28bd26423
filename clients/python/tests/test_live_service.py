"""The generated Python client against the real service: a photo's alt-text, moderation, batches, and typed problems."""

import re

from conftest import FIXTURES, SKIMAGE
from imgsense_client import Client
from imgsense_client.api.default import caption, caption_batch, moderate
from imgsense_client.models import BatchForm, CaptionFilesBody, CaptionResponse, ModerateFilesBody, ModerationResponse, Problem
from imgsense_client.models.problem_code import ProblemCode
from imgsense_client.types import File

SENTENCE = re.compile(r"^[A-Z].*\.$", re.S)  # a sentence; quoted text read from the image may hold full stops


def upload(path, name=None):
    return File(payload=path.read_bytes(), file_name=name or path.name)


def test_when_a_cat_photo_is_posted_then_the_alt_text_is_a_sentence_about_a_cat(service_url):
    with Client(base_url=service_url) as client:
        response = caption.sync_detailed(client=client, body=CaptionFilesBody(image=upload(SKIMAGE / "chelsea.png")), max_labels=3)
    assert response.status_code == 200
    result = response.parsed
    assert isinstance(result, CaptionResponse)
    assert SENTENCE.match(result.alt_text), result.alt_text
    assert "cat" in result.alt_text
    assert len(result.labels) == 3


def test_when_a_text_file_is_posted_then_the_answer_is_a_415_problem(service_url):
    with Client(base_url=service_url) as client:
        response = caption.sync_detailed(client=client, body=CaptionFilesBody(image=upload(FIXTURES / "note.txt", "note.jpg")))
    assert response.status_code == 415
    problem = response.parsed
    assert isinstance(problem, Problem)
    assert problem.status == 415
    assert problem.code == ProblemCode.UNSUPPORTED_MEDIA_TYPE
    assert problem.type_ == "https://imgsense.invalid/problems/unsupported-media-type"
    assert problem.title


def test_when_moderating_a_subset_then_only_those_categories_are_scored(service_url):
    with Client(base_url=service_url) as client:
        result = moderate.sync(client=client, body=ModerateFilesBody(image=upload(SKIMAGE / "coffee.png")), categories=["weapons", "alcohol"])
    assert isinstance(result, ModerationResponse)
    assert sorted(category.id for category in result.categories) == ["alcohol", "weapons"]
    assert result.flagged is False


def test_when_a_batch_holds_a_bad_file_then_it_alone_is_a_problem(service_url):
    images = [upload(SKIMAGE / "chelsea.png"), upload(FIXTURES / "document.pdf", "scan.png"), upload(FIXTURES / "cat.jpg")]
    with Client(base_url=service_url) as client:
        response = caption_batch.sync_detailed(client=client, body=BatchForm(image=images))
    assert response.status_code == 200, response.content
    first, second, third = response.parsed.results
    assert isinstance(first, CaptionResponse) and "cat" in first.alt_text
    assert isinstance(second, Problem) and second.status == 415
    assert isinstance(third, CaptionResponse) and SENTENCE.match(third.alt_text)
