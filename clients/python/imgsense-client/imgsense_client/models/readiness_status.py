from enum import StrEnum


class ReadinessStatus(StrEnum):
    DEGRADED = "degraded"
    DRAINING = "draining"
    READY = "ready"
    STARTING = "starting"

    def __str__(self) -> str:
        return str(self.value)
