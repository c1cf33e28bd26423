"""A fast reader of selected members of a local tar shard: parses the 512-byte headers itself and seeks past the
members it does not want (the images), so a metadata-only pass costs a few microseconds per record, not tarfile's."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

BLOCK = 512


def _octal(field: bytes) -> int:
    if field[:1] == b"\x80":  # GNU base-256 for sizes over 8 GiB
        return int.from_bytes(field[1:], "big")
    digits = field.strip(b"\x00 ")
    return int(digits, 8) if digits else 0


def _pax_path(data: bytes) -> str | None:
    for line in data.decode("utf-8", "replace").splitlines():
        _, _, record = line.partition(" ")
        key, _, value = record.partition("=")
        if key == "path":
            return value
    return None


def tar_members(path: Path, suffixes: tuple[str, ...]) -> Iterator[tuple[str, bytes]]:
    """(name, data) of each regular member whose name ends with one of suffixes, in file order."""
    long_name = None
    with open(path, "rb") as tar:
        while True:
            header = tar.read(BLOCK)
            if len(header) < BLOCK or header == b"\x00" * BLOCK:
                return
            size, kind = _octal(header[124:136]), header[156:157]
            padded = (size + BLOCK - 1) // BLOCK * BLOCK
            name = header[:100].split(b"\x00", 1)[0].decode("utf-8", "replace")
            if header[257:262] == b"ustar" and header[345:500].strip(b"\x00"):
                name = header[345:500].split(b"\x00", 1)[0].decode("utf-8", "replace") + "/" + name
            if kind in (b"L", b"x"):
                data = tar.read(padded)[:size]
                long_name = data.rstrip(b"\x00").decode("utf-8", "replace") if kind == b"L" else _pax_path(data)
                continue
            name, long_name = long_name or name, None
            if kind in (b"0", b"\x00") and name.endswith(suffixes):
                yield name, tar.read(padded)[:size]
            else:
                tar.seek(padded, 1)
