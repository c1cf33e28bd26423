from enum import StrEnum


class CaptionResponseKind(StrEnum):
    CHART = "chart"
    DOCUMENT = "document"
    DRAWING = "drawing"
    PHOTO = "photo"
    SCREENSHOT = "screenshot"

    def __str__(self) -> str:
        return str(self.value)
