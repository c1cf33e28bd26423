from enum import StrEnum


class CaptionResponseKind(StrEnum):
    CHART = "chart"
    DIAGRAM = "diagram"
    DOCUMENT = "document"
    DRAWING = "drawing"
    MAP = "map"
    PAINTING = "painting"
    PHOTO = "photo"
    SCREENSHOT = "screenshot"

    def __str__(self) -> str:
        return str(self.value)
