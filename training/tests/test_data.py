"""The streaming reader over JSONL manifests and WebDataset shards, local files and pipe: commands."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from hashtagnet.data import HashtagStream, decode_image, expand_sources, folder_records
from hashtagnet.synth import write_shards


@pytest.fixture()
def sources(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, (6, 20, 30, 3), dtype=np.uint8)
    shards = write_shards(tmp_path / "shards", images[:4], [f"#brownbear number {i}" for i in range(4)], shard_size=2)
    (tmp_path / "img").mkdir()
    for i in (4, 5):
        Image.fromarray(images[i]).save(tmp_path / "img" / f"{i}.png")
    rows = [{"image": "img/4.png", "caption": "#polarbear"}, {"image": "img/5.png", "hashtags": ["tabby"]},
            {"image": "https://example.invalid/remote.jpg", "caption": "#koala"}]
    manifest = tmp_path / "posts.jsonl"
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path, shards, manifest


def test_one_stream_reads_tar_shards_and_a_jsonl_manifest(sources):
    _, shards, manifest = sources
    records = list(HashtagStream(shards + [str(manifest)]))
    assert [r.text for r in records[:4]] == [f"#brownbear number {i}" for i in range(4)]
    assert records[4].text == "#polarbear" and records[5].hashtags == ["tabby"]
    assert decode_image(records[0].image, 16).shape == (16, 16, 3)


def test_url_images_are_skipped_unless_a_pipe_command_is_configured(sources):
    root, _, manifest = sources
    assert len(list(HashtagStream([str(manifest)]))) == 2
    local_stand_in = f"cat {root / 'img' / '4.png'} # {{url}}"  # a command that never touches the network
    records = list(HashtagStream([str(manifest)], url_command=local_stand_in))
    assert len(records) == 3 and records[2].image == (root / "img" / "4.png").read_bytes()


def test_pipe_sources_stream_through_a_shell_command(sources, monkeypatch):
    root, shards, manifest = sources
    monkeypatch.chdir(root)  # a piped manifest's relative image paths resolve against the working directory
    records = list(HashtagStream([f"pipe:cat {shards[1]}", f"pipe:cat {manifest}"]))
    assert [r.text for r in records] == ["#brownbear number 2", "#brownbear number 3", "#polarbear", ""]


def test_remote_sources_are_refused():
    with pytest.raises(ValueError, match="remote"):
        list(HashtagStream(["https://example.invalid/shard-00000.tar"]))


def test_ranks_get_disjoint_records_that_cover_the_stream(sources):
    _, shards, manifest = sources
    keys = [[r.key for r in HashtagStream(shards + [str(manifest)], rank=k, world_size=2)] for k in (0, 1)]
    assert not set(keys[0]) & set(keys[1]) and len(keys[0]) + len(keys[1]) == 6


def test_brace_patterns_expand_to_shards(sources):
    root, shards, _ = sources
    assert expand_sources([str(root / "shards" / "shard-{00000..00001}.tar")]) == shards


def test_folder_records_label_images_by_their_folder(tmp_path):
    for wnid in ("n02129165", "n02391049"):
        (tmp_path / wnid).mkdir()
        Image.new("RGB", (8, 8)).save(tmp_path / wnid / "a.png")
    assert [r.label for r in folder_records(tmp_path)] == ["n02129165", "n02391049"]
