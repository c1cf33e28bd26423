#!/usr/bin/env python3
"""Extract the image files of a Qt resource bundle (.rcc), e.g. GCompris activity data, keeping their resource paths.

    python3 scripts/extract-qt-rcc.py BUNDLE.rcc OUT_DIR [SUFFIX...]   (default suffixes: .webp .jpg .png)

Reads the format Qt's rcc writes (versions 1-3: a header, then a tree of nodes, their UTF-16 names and the data;
zlib-compressed entries are inflated, zstd ones refused). Standard library only: install-deps.sh --eval-images runs it.
"""
import struct
import sys
import zlib
from pathlib import Path, PurePosixPath


class Bundle:
    """One .rcc file: its node tree, names and data, read in place."""

    def __init__(self, raw: bytes, source: Path) -> None:
        if raw[:4] != b'qres':
            raise ValueError(f'{source}: not a Qt resource bundle')
        self.raw = raw
        version, self.tree, self.data, self.names = struct.unpack('>IIII', raw[4:20])
        self.node_size = 14 if version == 1 else 22

    def name(self, offset: int) -> str:
        """A node's name: a 16-bit length, a 32-bit hash, then UTF-16BE characters."""
        at = self.names + offset
        length = struct.unpack('>H', self.raw[at:at + 2])[0]
        return self.raw[at + 6:at + 6 + 2 * length].decode('utf-16-be')

    def files(self, node: int = 0, prefix: PurePosixPath = PurePosixPath()):
        """Every file under a node, as (resource path, its bytes); directories are walked depth first."""
        at = self.tree + node * self.node_size
        name_offset, flags = struct.unpack('>IH', self.raw[at:at + 6])
        here = prefix / self.name(name_offset) if node else prefix
        if flags & 2:
            children, first = struct.unpack('>II', self.raw[at + 6:at + 14])
            for child in range(first, first + children):
                yield from self.files(child, here)
            return
        offset = self.data + struct.unpack('>I', self.raw[at + 10:at + 14])[0]
        size = struct.unpack('>I', self.raw[offset:offset + 4])[0]
        body = self.raw[offset + 4:offset + 4 + size]
        if flags & 4:
            raise ValueError(f'{here}: zstd-compressed resources are not supported')
        yield here, zlib.decompress(body[4:]) if flags & 1 else body


def extract(rcc: Path, out: Path, suffixes: tuple[str, ...]) -> int:
    """Write the bundle's files with these suffixes under `out`, by resource path; returns how many."""
    count = 0
    for path, body in Bundle(rcc.read_bytes(), rcc).files():
        if not path.name.lower().endswith(suffixes):
            continue
        if '..' in path.parts:
            raise ValueError(f'{rcc}: resource path {path} leaves the output folder')
        target = out.joinpath(*path.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        count += 1
    return count


if __name__ == '__main__':
    print(extract(Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3:]) or ('.webp', '.jpg', '.png')))
