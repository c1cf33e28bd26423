from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.caption_response_kind import CaptionResponseKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.caption_response_people import CaptionResponsePeople
    from ..models.detected_object import DetectedObject
    from ..models.hedged_label import HedgedLabel
    from ..models.model_ref import ModelRef
    from ..models.scored_label import ScoredLabel
    from ..models.text_result import TextResult


T = TypeVar("T", bound="CaptionResponse")


@_attrs_define
class CaptionResponse:
    """
    Attributes:
        alt_text (str):
        label (HedgedLabel):
        labels (list[ScoredLabel]):
        model (ModelRef):
        precision_target (float):
        kind (CaptionResponseKind): What kind of image it is, from its colour and edge statistics, the classifier and
            the text read:
            `photo` (a camera image, including a photo of a painting on a wall), `screenshot`, `document` (a page of
            text, printed or photographed), `chart` (a chart or plot, and any diagram the deployment does not tell
            apart), `drawing` (a drawing, logo or other graphic, and any painting or map the deployment does not tell
            apart), `painting` (a painted artwork, or its reproduction), `map` (a map or street plan), `diagram` (a
            flowchart, tree, graph of nodes or schematic). The alt-text leads with it when it is not a photo.
            `painting`, `map` and `diagram` are said only where the deployment's kind detector tells them apart and
            `IMGSENSE_KINDS_EXTENDED` is on (off by default: today's detector never says them, and a deployment
            answers the first five kinds only).
        lang (str | Unset): The language `alt_text` and `description` are written in (also sent as `Content-Language`):
            the one negotiated from `lang` or `Accept-Language`, or `en`.
        description (str | Unset): A longer text than alt_text, with rough positions of the main subjects.
        people (CaptionResponsePeople | Unset): People counted (never identified): the larger of the detector's person
            count and, where the face detector runs, the faces it is sure of. Present when the deployment runs a detector.
        objects (list[DetectedObject] | Unset): Objects the detector found, people excluded, most certain first. Present
            when the deployment runs a detector.
        detector (ModelRef | Unset):
        text (TextResult | Unset): Text read in the image (OCR). Present when the deployment runs OCR and the request
            did not turn it off. With
            `features=text` (the default) text is read when the image looks rendered (screens, pages, charts, graphics) or
            the classifier sees a thing that carries text (a sign, a menu, a book cover); `read` says whether it was.
    """

    alt_text: str
    label: HedgedLabel
    labels: list[ScoredLabel]
    model: ModelRef
    precision_target: float
    kind: CaptionResponseKind
    lang: str | Unset = UNSET
    description: str | Unset = UNSET
    people: CaptionResponsePeople | Unset = UNSET
    objects: list[DetectedObject] | Unset = UNSET
    detector: ModelRef | Unset = UNSET
    text: TextResult | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        alt_text = self.alt_text

        label = self.label.to_dict()

        labels = []
        for labels_item_data in self.labels:
            labels_item = labels_item_data.to_dict()
            labels.append(labels_item)

        model = self.model.to_dict()

        precision_target = self.precision_target

        kind = self.kind.value

        lang = self.lang

        description = self.description

        people: dict[str, Any] | Unset = UNSET
        if not isinstance(self.people, Unset):
            people = self.people.to_dict()

        objects: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.objects, Unset):
            objects = []
            for objects_item_data in self.objects:
                objects_item = objects_item_data.to_dict()
                objects.append(objects_item)

        detector: dict[str, Any] | Unset = UNSET
        if not isinstance(self.detector, Unset):
            detector = self.detector.to_dict()

        text: dict[str, Any] | Unset = UNSET
        if not isinstance(self.text, Unset):
            text = self.text.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "alt_text": alt_text,
                "label": label,
                "labels": labels,
                "model": model,
                "precision_target": precision_target,
                "kind": kind,
            }
        )
        if lang is not UNSET:
            field_dict["lang"] = lang
        if description is not UNSET:
            field_dict["description"] = description
        if people is not UNSET:
            field_dict["people"] = people
        if objects is not UNSET:
            field_dict["objects"] = objects
        if detector is not UNSET:
            field_dict["detector"] = detector
        if text is not UNSET:
            field_dict["text"] = text

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.caption_response_people import CaptionResponsePeople  # noqa: PLC0415
        from ..models.detected_object import DetectedObject  # noqa: PLC0415
        from ..models.hedged_label import HedgedLabel  # noqa: PLC0415
        from ..models.model_ref import ModelRef  # noqa: PLC0415
        from ..models.scored_label import ScoredLabel  # noqa: PLC0415
        from ..models.text_result import TextResult  # noqa: PLC0415

        d = dict(src_dict)
        alt_text = d.pop("alt_text")

        label = HedgedLabel.from_dict(d.pop("label"))

        labels = []
        _labels = d.pop("labels")
        for labels_item_data in _labels:
            labels_item = ScoredLabel.from_dict(labels_item_data)

            labels.append(labels_item)

        model = ModelRef.from_dict(d.pop("model"))

        precision_target = d.pop("precision_target")

        kind = CaptionResponseKind(d.pop("kind"))

        lang = d.pop("lang", UNSET)

        description = d.pop("description", UNSET)

        _people = d.pop("people", UNSET)
        people: CaptionResponsePeople | Unset
        if isinstance(_people, Unset):
            people = UNSET
        else:
            people = CaptionResponsePeople.from_dict(_people)

        _objects = d.pop("objects", UNSET)
        objects: list[DetectedObject] | Unset = UNSET
        if _objects is not UNSET:
            objects = []
            for objects_item_data in _objects:
                objects_item = DetectedObject.from_dict(objects_item_data)

                objects.append(objects_item)

        _detector = d.pop("detector", UNSET)
        detector: ModelRef | Unset
        if isinstance(_detector, Unset):
            detector = UNSET
        else:
            detector = ModelRef.from_dict(_detector)

        _text = d.pop("text", UNSET)
        text: TextResult | Unset
        if isinstance(_text, Unset):
            text = UNSET
        else:
            text = TextResult.from_dict(_text)

        caption_response = cls(
            alt_text=alt_text,
            label=label,
            labels=labels,
            model=model,
            precision_target=precision_target,
            kind=kind,
            lang=lang,
            description=description,
            people=people,
            objects=objects,
            detector=detector,
            text=text,
        )

        return caption_response
