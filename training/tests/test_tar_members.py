"""The fast tar member reader returns what tarfile returns, long names (GNU and pax) included."""

from __future__ import annotations

import io
import tarfile

import pytest

from hashtagnet.data.tar_members import tar_members

NAMES = ["a/0001.jpg", "a/0001.json", "b" * 120 + "/0002.json", "0003.txt", "0004.json"]


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_selected_members_match_tarfile_in_every_format(tmp_path, fmt):
    path = tmp_path / "shard.tar"
    names = NAMES if fmt != tarfile.USTAR_FORMAT else [n for n in NAMES if len(n) < 100]
    with tarfile.open(path, "w", format=fmt) as tar:
        for i, name in enumerate(names):
            data = (name * (i + 1)).encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with tarfile.open(path) as tar:
        expected = [(m.name, tar.extractfile(m).read()) for m in tar if m.name.endswith((".json", ".txt"))]
    assert list(tar_members(path, (".json", ".txt"))) == expected
