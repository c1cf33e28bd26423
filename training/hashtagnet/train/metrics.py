"""Training metrics as JSON lines (one object per logged step or evaluation), and TensorBoard events when asked."""

from __future__ import annotations

import json
from pathlib import Path

try:
    from torch.utils.tensorboard import SummaryWriter
except ImportError:  # tensorboard is not a dependency; asking for its events without it is an error at start
    SummaryWriter = None


class MetricsLog:
    """Appends {"step": ..., name: value, ...} lines to a file; mirrors scalars to TensorBoard when enabled."""

    def __init__(self, path: Path | None, tensorboard_dir: Path | None = None):
        self.path = Path(path) if path else None
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        if tensorboard_dir and SummaryWriter is None:
            raise RuntimeError("log.tensorboard is true but the tensorboard package is not installed")
        self.board = SummaryWriter(str(tensorboard_dir)) if tensorboard_dir else None

    def write(self, step: int, values: dict, prefix: str = "train") -> None:
        """One line for this step; numbers also go to TensorBoard as prefix/name."""
        if self.path:
            with self.path.open("a") as out:
                out.write(json.dumps({"step": step, "kind": prefix, **values}) + "\n")
        if self.board:
            for name, value in values.items():
                if isinstance(value, (int, float)):
                    self.board.add_scalar(f"{prefix}/{name}", value, step)

    def close(self) -> None:
        """Flush TensorBoard events."""
        if self.board:
            self.board.close()


def read_metrics(path: Path) -> list[dict]:
    """Every line of a metrics file, parsed."""
    return [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
