"""Diagrams: random graphs (flowcharts, trees, state machines) laid out and drawn by Graphviz."""

from __future__ import annotations

import io
import random
import subprocess

from PIL import Image

SHAPES = ("box", "ellipse", "diamond", "circle", "record", "oval", "note", "cylinder", "hexagon")
LAYOUTS = ("dot", "dot", "dot", "neato", "circo", "twopi")


def render_diagram(rng: random.Random, words: list[str]) -> Image.Image | None:
    """One random graph drawn by Graphviz at a random resolution."""
    n = rng.randint(3, 18)
    shape = rng.choice(SHAPES)
    fill = f'style=filled fillcolor="#{rng.randrange(16**6):06x}"' if rng.random() < 0.5 else ""
    lines = [f"digraph G {{ rankdir={rng.choice(('TB', 'LR'))}; bgcolor=\"{rng.choice(('white', 'white', '#f4f4f4'))}\";",
             f'node [shape={shape} {fill} fontname="{rng.choice(("Helvetica", "Times", "Courier"))}"];']
    for i in range(n):
        label = " ".join(rng.choice(words) for _ in range(rng.randint(1, 3)))[:30].replace('"', "")
        lines.append(f'n{i} [label="{label}"];')
    for i in range(1, n):
        lines.append(f"n{rng.randrange(i)} -> n{i};")
    for _ in range(rng.randint(0, n // 3)):
        lines.append(f"n{rng.randrange(n)} -> n{rng.randrange(n)};")
    lines.append("}")
    try:
        png = subprocess.run([rng.choice(LAYOUTS), "-Tpng", f"-Gdpi={rng.randint(48, 110)}"], input="\n".join(lines).encode(),
                             capture_output=True, timeout=60, check=True).stdout
        return Image.open(io.BytesIO(png)).convert("RGB")
    except (subprocess.SubprocessError, OSError):
        return None
