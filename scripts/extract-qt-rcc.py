#!/usr/bin/env python3
"""Extract the image files of a Qt resource bundle (.rcc), e.g. GCompris activity data, keeping their resource paths.

    python3 scripts/extract-qt-rcc.py BUNDLE.rcc OUT_DIR [SUFFIX...]   (default suffixes: .webp .jpg .png)

Reads the format written by Qt's rcc (versions 1-3: header, tree, names, data; zlib-compressed entries
are inflated, zstd ones refused). Standard library only: scripts/install-deps.sh --eval-images runs it.
"""
import struct, sys, zlib
from pathlib import Path

def extract(rcc: Path, out: Path, suffixes: tuple[str, ...]) -> int:
    b = rcc.read_bytes()
    assert b[:4] == b'qres', f'{rcc}: not a Qt resource bundle'
    version, tree, data, names = struct.unpack('>IIII', b[4:20])
    node_size = 14 if version == 1 else 22
    def name(offset: int) -> str:
        length = struct.unpack('>H', b[names + offset:names + offset + 2])[0]
        return b[names + offset + 6:names + offset + 6 + 2 * length].decode('utf-16-be')
    count = 0
    def walk(node: int, prefix: Path) -> None:
        nonlocal count
        at = tree + node * node_size
        name_off, flags = struct.unpack('>IH', b[at:at + 6])
        here = prefix / name(name_off) if node else prefix
        if flags & 2:
            children, first = struct.unpack('>II', b[at + 6:at + 14])
            for child in range(first, first + children):
                walk(child, here)
            return
        if not here.name.lower().endswith(suffixes):
            return
        offset = struct.unpack('>I', b[at + 10:at + 14])[0]
        size = struct.unpack('>I', b[data + offset:data + offset + 4])[0]
        body = b[data + offset + 4:data + offset + 4 + size]
        if flags & 1:
            body = zlib.decompress(body[4:])
        elif flags & 4:
            raise ValueError(f'{here}: zstd-compressed resources are not supported')
        target = out / here
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        count += 1
    walk(0, Path())
    return count

if __name__ == '__main__':
    print(extract(Path(sys.argv[1]), Path(sys.argv[2]), tuple(sys.argv[3:]) or ('.webp', '.jpg', '.png')))
