"""Charts and plots drawn by matplotlib from random data: bar, line, pie, scatter, histogram, area, box, in many styles."""

from __future__ import annotations

import io
import random

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

STYLES = ("default", "classic", "ggplot", "seaborn-v0_8", "seaborn-v0_8-whitegrid", "seaborn-v0_8-darkgrid",
          "bmh", "fivethirtyeight", "dark_background", "grayscale", "Solarize_Light2", "tableau-colorblind10")
WORDS = ("sales", "revenue", "year", "month", "users", "temperature", "growth", "count", "score", "time (s)",
         "frequency", "population", "price", "error", "accuracy", "latency (ms)", "region", "value", "rate")


def _label(rng: random.Random, words: int = 2) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _draw(ax, kind: str, rng: random.Random, gen: np.random.Generator) -> None:
    n = rng.randint(3, 12)
    names = [_label(rng, 1) if rng.random() < 0.5 else str(2000 + i) for i in range(n)]
    if kind == "bar":
        series = rng.randint(1, 3)
        for s in range(series):
            ax.bar(np.arange(n) + s * 0.8 / series, gen.uniform(1, 100, n), width=0.8 / series, label=_label(rng, 1))
        ax.set_xticks(np.arange(n), names, rotation=rng.choice((0, 45, 90)))
    elif kind == "barh":
        ax.barh(np.arange(n), gen.uniform(1, 100, n))
        ax.set_yticks(np.arange(n), names)
    elif kind == "line":
        x = np.arange(rng.randint(10, 200))
        for _ in range(rng.randint(1, 4)):
            ax.plot(x, np.cumsum(gen.normal(0, 1, len(x))), marker=rng.choice(("", "o", ".", "s")), label=_label(rng, 1))
    elif kind == "pie":
        ax.pie(gen.uniform(1, 10, min(n, 8)), labels=names[:8] if rng.random() < 0.7 else None,
               autopct="%1.0f%%" if rng.random() < 0.5 else None, wedgeprops={"width": 0.4} if rng.random() < 0.3 else None)
    elif kind == "scatter":
        x = gen.normal(0, 1, rng.randint(20, 500))
        ax.scatter(x, x * rng.uniform(-2, 2) + gen.normal(0, 1, len(x)), s=rng.choice((4, 10, 30)), c=gen.uniform(0, 1, len(x)) if rng.random() < 0.4 else None)
    elif kind == "hist":
        ax.hist(gen.normal(0, 1, 1000) * rng.uniform(1, 10), bins=rng.randint(8, 60))
    elif kind == "area":
        x = np.arange(rng.randint(10, 60))
        ax.stackplot(x, *[np.abs(np.cumsum(gen.normal(0, 1, len(x)))) for _ in range(rng.randint(2, 4))])
    else:
        ax.boxplot([gen.normal(rng.uniform(-2, 2), 1, 50) for _ in range(rng.randint(2, 6))])


def render_chart(rng: random.Random) -> Image.Image:
    """One random chart as an image, at a random size and resolution."""
    gen = np.random.default_rng(rng.randrange(2**32))
    kind = rng.choice(("bar", "bar", "barh", "line", "line", "pie", "scatter", "hist", "area", "box"))
    with plt.style.context(rng.choice(STYLES)):
        panels = 1 if rng.random() < 0.8 else rng.choice((2, 4))
        fig = plt.figure(figsize=(rng.uniform(4, 10), rng.uniform(3, 7)), dpi=rng.choice((60, 72, 90, 100)))
        for p in range(panels):
            ax = fig.add_subplot(1 if panels < 4 else 2, panels if panels < 4 else 2, p + 1)
            _draw(ax, kind if p == 0 else rng.choice(("bar", "line", "scatter", "hist")), rng, gen)
            if rng.random() < 0.6 and kind != "pie":
                ax.set_xlabel(_label(rng, 1))
                ax.set_ylabel(_label(rng, 1))
            if rng.random() < 0.6:
                ax.set_title(_label(rng, rng.randint(1, 4)))
            if rng.random() < 0.3 and ax.get_legend_handles_labels()[0]:
                ax.legend()
        if rng.random() < 0.3:
            fig.suptitle(_label(rng, 3))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
