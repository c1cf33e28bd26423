from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelStatus")


@_attrs_define
class ModelStatus:
    """
    Attributes:
        name (str):
        version (str):
        task (str):
        provider (str): Execution provider actually in use.
        warm (bool):
        requested_provider (str | Unset):
        fallback_reason (str | Unset): Why the requested provider could not be used.
        workers_live (int | Unset): Inference workers serving the model now.
    """

    name: str
    version: str
    task: str
    provider: str
    warm: bool
    requested_provider: str | Unset = UNSET
    fallback_reason: str | Unset = UNSET
    workers_live: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        version = self.version

        task = self.task

        provider = self.provider

        warm = self.warm

        requested_provider = self.requested_provider

        fallback_reason = self.fallback_reason

        workers_live = self.workers_live

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "version": version,
                "task": task,
                "provider": provider,
                "warm": warm,
            }
        )
        if requested_provider is not UNSET:
            field_dict["requested_provider"] = requested_provider
        if fallback_reason is not UNSET:
            field_dict["fallback_reason"] = fallback_reason
        if workers_live is not UNSET:
            field_dict["workers_live"] = workers_live

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        version = d.pop("version")

        task = d.pop("task")

        provider = d.pop("provider")

        warm = d.pop("warm")

        requested_provider = d.pop("requested_provider", UNSET)

        fallback_reason = d.pop("fallback_reason", UNSET)

        workers_live = d.pop("workers_live", UNSET)

        model_status = cls(
            name=name,
            version=version,
            task=task,
            provider=provider,
            warm=warm,
            requested_provider=requested_provider,
            fallback_reason=fallback_reason,
            workers_live=workers_live,
        )

        model_status.additional_properties = d
        return model_status

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
