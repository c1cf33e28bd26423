"""The vocabulary pass: tag counts mapped over shards in parallel and reduced, the stop-list, target alignment."""

from __future__ import annotations

import functools
import json
from collections import Counter

import numpy as np
import pytest
import webdataset as wds

from hashtagnet.labels.hashtags import default_canonicaliser
from hashtagnet.labels.label_map import LabelMap, RepeatFactors
from hashtagnet.labels.vocab_pass import (build_label_map, count_label_sets, count_shard, count_tags, fit_factors, main,
                                          stop_list)

CAT, DOG = "n02121620", "n02084071"  # cat (true cat), dog
POSTS = [["cat", "me"], ["Tabby", "love"], ["puppy"], ["dog", "fashion"], ["foodporn", "cats"], ["Me"], ["sushi"]]


def _shards(tmp_path, posts=POSTS, per_shard=3) -> list[str]:
    urls = []
    for start in range(0, len(posts), per_shard):
        url = str(tmp_path / f"shard-{start // per_shard:03d}.tar")
        with wds.TarWriter(url) as sink:
            for i, tags in enumerate(posts[start:start + per_shard]):
                sink.write({"__key__": f"{start + i:05d}", "jpg": b"not needed", "json": json.dumps({"hashtags": tags}),
                            "txt": "#" + tags[0]})
        urls.append(url)
    return urls


def test_the_map_counts_each_tag_once_per_image_and_parallel_equals_serial(tmp_path):
    urls = _shards(tmp_path)
    assert count_shard(urls[0])["cat"] == 1  # in both the json and the caption of one image
    serial = Counter()
    for url in urls:
        serial.update(count_shard(url))
    assert count_tags(urls, processes=2) == serial and serial["me"] == 2


def test_non_visual_tags_are_dropped_and_hyponyms_map_to_their_target():
    counts = Counter({"cat": 5, "tabby": 2, "cats": 1, "puppy": 3, "me": 9, "fashion": 4, "foodporn": 2, "sushi": 3})
    label_map, report = build_label_map(counts, default_canonicaliser(), targets=[CAT, DOG])
    assert label_map.classes == [CAT, DOG]
    assert label_map.tags["tabby"] == label_map.tags["cats"] == label_map.tags["cat"] == [0]  # tabby: a hyponym mapped up
    assert label_map.tags["puppy"] == [1] and label_map.counts == [8, 3]
    assert {"me", "fashion", "foodporn", "sushi"}.isdisjoint(label_map.tags)
    dropped = {tag: why for tag, _, why in report["top_dropped"]}
    assert dropped["me"] == dropped["fashion"] == dropped["foodporn"] == "stop-list"
    assert "under no target" in dropped["sushi"]
    assert {"me", "fashion", "foodporn"} <= stop_list()


def test_the_cli_writes_a_label_map_the_trainer_reads(tmp_path):
    (tmp_path / "shards").mkdir()
    urls = _shards(tmp_path / "shards")
    result = main(["run", "--shards", str(tmp_path / "shards" / "shard-*.tar"), "--out", str(tmp_path / "vocab"),
                   "--top-k", "3", "--processes", "2"])
    label_map = LabelMap.load(tmp_path / "vocab" / "label_map.json")
    assert result["map"]["shards"] == len(urls) and len(label_map.classes) == 3
    assert label_map.labels("a #Cats photo", []) == label_map.labels("", ["cat"])


def test_fitted_factors_give_square_root_shares_with_a_mean_repeat_of_one():
    sets = Counter({"0": 96, "0,1": 4, "2": 25})  # tag 1 is rare and always comes with tag 0
    fitted = fit_factors(LabelMap(["a", "b", "c"], {}, [0, 0, 0]), sets)
    repeat = RepeatFactors(fitted, "sqrt")
    emitted = {key: n * repeat([int(c) for c in key.split(",")]) for key, n in sets.items()}
    assert fitted.counts == [100, 4, 25] and sum(emitted.values()) == pytest.approx(125)
    per_class = np.array([emitted["0"] + emitted["0,1"], emitted["0,1"], emitted["2"]])
    np.testing.assert_allclose(per_class / per_class.sum(), np.array([10, 2, 5]) / 17, rtol=1e-3)


def test_the_second_pass_counts_label_sets_under_the_label_map(tmp_path):
    urls = _shards(tmp_path)
    path = LabelMap(["c", "d"], {"cat": [0], "cats": [0], "tabby": [0], "dog": [1], "puppy": [1]}, [0, 0]).save(tmp_path / "m.json")
    sets = count_tags(urls, 2, functools.partial(count_label_sets, label_map_path=str(path)))
    assert sets == Counter({"0": 3, "1": 2})  # #cat, #Tabby, #cats; #puppy, #dog
