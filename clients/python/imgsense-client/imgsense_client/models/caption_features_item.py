from enum import StrEnum


class CaptionFeaturesItem(StrEnum):
    OBJECTS = "objects"
    TEXT = "text"
    TEXT_ALWAYS = "text_always"

    def __str__(self) -> str:
        return str(self.value)
