"""`hashtagnet pipeline` at a tiny size on real photos tagged by hand (the dev set): shards with metadata, the
vocabulary from metadata alone, pretraining, fine-tuning from it, evaluation and a bundle the service's schema accepts;
and the stages it is made of, one by one."""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from hashtagnet.cli import main
from hashtagnet.data.tags_file import read_tags_file
from hashtagnet.export.bundle import read_bundle
from hashtagnet.models.backbones import build_model
from hashtagnet.train.checkpoints import initialise_from

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from devset_tags import devset_tag_lines  # noqa: E402

TINY = ["data.image_size=32", "model.options={width:8, stages:2}", "batch_size=8", "stream.workers=1",
        "checkpoint.every=0", "threads=1"]


def test_the_pipeline_goes_from_a_tags_file_to_a_bundle_the_service_loads(tmp_path):
    tags = tmp_path / "tags.tsv"
    tags.write_text("\n".join(devset_tag_lines()[:30]) + "\n")
    result = main(["pipeline", str(tags), "--out", str(tmp_path / "out"), "--pretrain-steps", "2",
                   "--finetune-steps", "1", "--max-side", "96", *[a for s in TINY for a in ("--set", s)]])
    manifest = read_bundle(tmp_path / "out" / "bundle")  # schema, hierarchy and sha256, as the server checks them
    assert result["serve"] == f"MODEL_DIR={tmp_path / 'out' / 'bundle'} npm start"
    assert result["never_emitted"] == 0 and result["held_out"] >= 1 and result["classes"] >= 2
    assert manifest["metrics"]["evaluation"]["images"] == result["held_out"]
    assert manifest["metrics"]["calibration"]["images"] == result["calibration"] >= 1  # a disjoint half
    assert 0.0 <= manifest["metrics"]["evaluation"]["top5"] <= 1.0
    assert manifest["metrics"]["parity"]["max_abs_prob_diff"] <= 1e-4
    assert (tmp_path / "out" / "vocab" / "mapping.tsv").read_text().startswith("tag\timages\tclass")
    finetune = torch.load(tmp_path / "out" / "runs" / "finetune" / "final.pt", weights_only=False)
    assert finetune["recipe"]["model"]["init_from"].endswith("pretrain/final.pt")


def _photo(path: Path, seed: int, size=(120, 90)) -> Path:
    pixels = np.random.default_rng(seed).integers(0, 255, (size[1] // 10, size[0] // 10, 3), dtype=np.uint8)
    Image.fromarray(pixels).resize(size, Image.NEAREST).save(path)
    return path


def test_shards_carry_metadata_drop_copies_of_held_out_photos_and_vocab_reads_only_metadata(tmp_path):
    photos = [_photo(tmp_path / f"p{i}.jpg", i) for i in range(6)]
    Image.open(photos[0]).resize((240, 180), Image.BILINEAR).save(tmp_path / "held.jpg")  # p0, larger
    (tmp_path / "tags.csv").write_text("path,tags\n" + "".join(f"{p.name},#cat #kitty\n" for p in photos[:3])
                                       + "".join(f"{p.name},dog puppy\n" for p in photos[3:]))
    (tmp_path / "held.tsv").write_text("held.jpg\t#cat\n")
    result = main(["shards", str(tmp_path / "tags.csv"), "--out", str(tmp_path / "shards"), "--per-shard", "2",
                   "--dedup-against", str(tmp_path / "held.tsv")])
    assert result["records"] == 5 and result["duplicates_of_evaluation"] == 1 and result["shards"] == 3
    rows = [json.loads(line) for f in sorted((tmp_path / "shards").glob("*.meta.jsonl")) for line in f.open()]
    assert {tuple(r["hashtags"]) for r in rows} == {("cat", "kitty"), ("dog", "puppy")} and rows[0]["width"] == 120
    for shard in (tmp_path / "shards").glob("*.tar"):
        with tarfile.open(shard) as tar:
            assert len(tar.getnames()) == 4 or len(tar.getnames()) == 2
        shard.write_bytes(b"not a tar")  # the vocabulary pass must not need the tars
    vocab = main(["vocab", "--shards", str(tmp_path / "shards" / "shard-{000000..000002}.tar"),
                  "--out", str(tmp_path / "vocab")])
    assert vocab["reduce"]["classes"] == 3 and vocab["factors"]["images"] == 5  # cat (kitty), dog, puppy
    assert vocab["factors"]["never_emitted"] == 0


def test_a_tags_file_reads_tsv_and_jsonl_and_names_bad_lines(tmp_path):
    (tmp_path / "a.tsv").write_text("x.jpg\t#Cat #kitty\n# a comment\ny.jpg\tdog\n")
    (tmp_path / "b.jsonl").write_text('{"path": "x.jpg", "hashtags": ["cat"]}\n{"image": "/abs/y.png", "tags": "#dog"}\n')
    (tmp_path / "bad.tsv").write_text("x.jpg\t\n")
    assert [(Path(p.path).name, p.tags) for p in read_tags_file(tmp_path / "a.tsv")] == [("x.jpg", ("Cat", "kitty")), ("y.jpg", ("dog",))]
    assert [p.path for p in read_tags_file(tmp_path / "b.jsonl")] == [str(tmp_path / "x.jpg"), "/abs/y.png"]
    with pytest.raises(ValueError, match="line 1: needs a path and at least one tag"):
        read_tags_file(tmp_path / "bad.tsv")


def test_init_from_fails_when_the_checkpoint_does_not_exist_and_loads_the_trunk_when_it_does(tmp_path):
    model = build_model("mini_resnet", 3, width=4, stages=2)
    with pytest.raises(FileNotFoundError, match="model.init_from"):
        initialise_from(model, tmp_path / "nope.pt")
    torch.save({"model": model.state_dict()}, tmp_path / "a.pt")
    other = build_model("mini_resnet", 5, width=4, stages=2)
    assert initialise_from(other, tmp_path / "a.pt")["head"] == "fresh"
    assert all(torch.equal(a, b) for a, b in zip(model.trunk.state_dict().values(), other.trunk.state_dict().values()))
