"""The streaming reader over JSONL manifests and WebDataset shards, local files and pipe: commands."""

from __future__ import annotations

import json
import shlex
import sys

import numpy as np
import pytest
from PIL import Image

from hashtagnet.data.images import decode_for_model
from hashtagnet.data.stream import HashtagStream, expand_sources, folder_records, url_argv
from hashtagnet.data.synth import write_shards


def fake_fetcher(tmp_path, image) -> str:
    """A url_command that never touches the network: logs each argv it gets, prints the local image's bytes."""
    script = tmp_path / "fake_fetch.py"
    script.write_text("import json, sys\n"
                      f"open({str(tmp_path / 'argv.jsonl')!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
                      f"sys.stdout.buffer.write(open({str(image)!r}, 'rb').read())\n")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))} --url {{url}}"


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
    assert decode_for_model(records[0].image, 16).shape == (16, 16, 3)


def test_url_images_are_skipped_unless_a_pipe_command_is_configured(sources):
    root, _, manifest = sources
    assert len(list(HashtagStream([str(manifest)]))) == 2
    records = list(HashtagStream([str(manifest)], url_command=fake_fetcher(root, root / "img" / "4.png")))
    assert len(records) == 3 and records[2].image == (root / "img" / "4.png").read_bytes()
    assert json.loads((root / "argv.jsonl").read_text()) == ["--url", "https://example.invalid/remote.jpg"]


@pytest.mark.parametrize("tail", ["x.jpg; touch {p}", "$(touch {p}).jpg", "`touch {p}`.jpg", "x.jpg' && touch '{p}",
                                  "x.jpg | touch {p}", "x.jpg\ntouch {p}"])
def test_when_a_manifest_url_carries_shell_metacharacters_then_nothing_is_executed(tmp_path, tail):
    (tmp_path / "img").mkdir()
    Image.new("RGB", (8, 8)).save(tmp_path / "img" / "a.png")
    planted = tmp_path / "planted"
    url = "https://example.invalid/" + tail.format(p=planted)
    (tmp_path / "posts.jsonl").write_text(json.dumps({"image": url, "caption": "#koala"}) + "\n")
    records = list(HashtagStream([str(tmp_path / "posts.jsonl")], url_command=fake_fetcher(tmp_path, tmp_path / "img" / "a.png")))
    assert len(records) == 1 and not planted.exists()
    assert json.loads((tmp_path / "argv.jsonl").read_text()) == ["--url", url]  # the URL arrives as one argument


def test_a_url_command_without_the_placeholder_is_refused():
    assert url_argv("curl -sfL {url}", "https://a.invalid/x y") == ["curl", "-sfL", "https://a.invalid/x y"]
    with pytest.raises(ValueError, match="placeholder"):
        url_argv("cat /etc/hostname", "https://a.invalid/x")


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
