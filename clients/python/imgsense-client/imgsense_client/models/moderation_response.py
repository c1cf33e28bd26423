from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.model_ref import ModelRef
    from ..models.moderation_category import ModerationCategory
    from ..models.moderation_response_policy import ModerationResponsePolicy


T = TypeVar("T", bound="ModerationResponse")


@_attrs_define
class ModerationResponse:
    """
    Attributes:
        flagged (bool): True when any returned category is flagged.
        categories (list[ModerationCategory]): The requested (default every supported) categories, in policy order.
        policy (ModerationResponsePolicy):
        models (list[ModelRef]): The models that were run for this answer.
    """

    flagged: bool
    categories: list[ModerationCategory]
    policy: ModerationResponsePolicy
    models: list[ModelRef]

    def to_dict(self) -> dict[str, Any]:
        flagged = self.flagged

        categories = []
        for categories_item_data in self.categories:
            categories_item = categories_item_data.to_dict()
            categories.append(categories_item)

        policy = self.policy.to_dict()

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "flagged": flagged,
                "categories": categories,
                "policy": policy,
                "models": models,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_ref import ModelRef  # noqa: PLC0415
        from ..models.moderation_category import ModerationCategory  # noqa: PLC0415
        from ..models.moderation_response_policy import ModerationResponsePolicy  # noqa: PLC0415

        d = dict(src_dict)
        flagged = d.pop("flagged")

        categories = []
        _categories = d.pop("categories")
        for categories_item_data in _categories:
            categories_item = ModerationCategory.from_dict(categories_item_data)

            categories.append(categories_item)

        policy = ModerationResponsePolicy.from_dict(d.pop("policy"))

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ModelRef.from_dict(models_item_data)

            models.append(models_item)

        moderation_response = cls(
            flagged=flagged,
            categories=categories,
            policy=policy,
            models=models,
        )

        return moderation_response
