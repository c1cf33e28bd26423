"""`--set key=value` values: YAML scalars, plus lists and mappings written the way a shell user writes them, where
brace patterns (`shard-{000000..009999}.tar`) stay text and `{width:16}` is a mapping, never a YAML flow mapping."""

from __future__ import annotations

import yaml

_OPEN, _CLOSE = "[{", "]}"


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """`text` split at `separator` outside brackets, braces and quotes."""
    parts, depth, quote, current = [], 0, "", []
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch == separator and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _scalar(text: str):
    """A YAML scalar (number, bool, null, quoted text); anything YAML reads as a container or cannot read is text."""
    text = text.strip()
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if isinstance(value, (dict, list)) else value


def _is_mapping(inner: str) -> bool:
    """`a:1, b: x` is a mapping; a brace list (`000..009`, `a,b`) is not."""
    parts = split_top_level(inner)
    return bool(inner.strip()) and all(":" in p and p.partition(":")[0].strip().isidentifier() for p in parts)


def parse_value(raw: str):
    """The value of one override: `[a, b]` a list, `{k: v}` / `{k:v}` a mapping, else a scalar; items recurse."""
    text = raw.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        return [parse_value(item) for item in split_top_level(inner)] if inner.strip() else []
    if text.startswith("{") and text.endswith("}") and _is_mapping(text[1:-1]):
        pairs = (item.partition(":") for item in split_top_level(text[1:-1]))
        return {key.strip(): parse_value(value) for key, _, value in pairs}
    return _scalar(text)
