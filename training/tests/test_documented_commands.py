"""Every documented hashtagnet command line parses: the READMEs', the training docs' and the recipes' comments.
Trainer lines resolve their recipe with their --set overrides (brace patterns and {k:v} included); CLI lines parse
with the CLI's parser; vocabulary-pass lines parse and expand their shard patterns."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from hashtagnet import REPO_ROOT
from hashtagnet.cli import build_parser
from hashtagnet.data.stream import expand_sources
from hashtagnet.labels.vocab_pass import add_vocab_arguments
from hashtagnet.train.overrides import parse_value
from hashtagnet.train.recipe import load_recipe

DOCUMENTS = [REPO_ROOT / "README.md", REPO_ROOT / "training" / "README.md",
             *sorted((REPO_ROOT / "training" / "docs").glob("*.md")),
             *sorted((REPO_ROOT / "training" / "recipes").glob("*.yaml"))]
TRAINERS = ("hashtagnet.train.streaming", "hashtagnet.train.loop")


def _logical_lines(path: Path) -> list[str]:
    """Lines with backslash continuations joined; a recipe's comment lines without their '#'."""
    raw = path.read_text().splitlines()
    if path.suffix == ".yaml":
        raw = [line.lstrip("#").strip() for line in raw if line.startswith("#")]
    out, current = [], ""
    for line in raw:
        current += line.rstrip("\\").strip() + " " if line.rstrip().endswith("\\") else line.strip()
        if not line.rstrip().endswith("\\"):
            out.append(current)
            current = ""
    return out


def _program(words: list[str]) -> tuple[str, list[str]] | None:
    """('cli', args) for `hashtagnet ...` / `python -m hashtagnet ...`, (module, args) for `-m hashtagnet.x`."""
    for i, word in enumerate(words):
        if word == "hashtagnet" and (i == 0 or words[i - 1] in ("-m", "--no-python")):
            return "cli", words[i + 1:]
        if word == "-m" and i + 1 < len(words) and words[i + 1].startswith("hashtagnet."):
            return words[i + 1], words[i + 2:]
    return None


def documented_commands() -> list[tuple[str, str, list[str]]]:
    """(where, program, arguments) of every documented command line that runs hashtagnet."""
    found = []
    for path in DOCUMENTS:
        for number, line in enumerate(_logical_lines(path), 1):
            if "hashtagnet" not in line or not re.search(r"(^|\s)(-m\s+)?hashtagnet[\s.]", line):
                continue
            try:
                words = shlex.split(line, comments=True)
            except ValueError:
                continue
            program = _program(words)
            if program:
                found.append((f"{path.relative_to(REPO_ROOT)}:{number}", *program))
    return found


def _check_recipe(args: list[str]) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipe", type=Path)
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    known, _ = parser.parse_known_args(args)
    recipe_path = REPO_ROOT / known.recipe if known.recipe and (REPO_ROOT / known.recipe).exists() else None
    recipe = load_recipe(recipe_path, known.overrides)
    for key in ("sources", "val_sources"):
        for pattern in recipe["data"][key]:
            assert isinstance(pattern, str) and len(expand_sources([pattern])) >= 1
    return recipe


def _check(program: str, args: list[str]) -> None:
    if program in TRAINERS:
        _check_recipe(args)
    elif program == "hashtagnet.labels.vocab_pass":
        parser = argparse.ArgumentParser()
        parser.add_argument("command")
        add_vocab_arguments(parser)
        parsed = parser.parse_args(args)
        assert all(len(expand_sources([s])) > 1 for s in parsed.shards if "{" in s)
    elif program == "cli":
        parsed, rest = build_parser().parse_known_args(args)
        assert parsed.stage == "export" or not rest, rest
        if parsed.stage == "train":
            _check_recipe(args)


COMMANDS = documented_commands()


def test_the_documents_hold_the_command_lines_this_test_checks():
    programs = {program for _, program, _ in COMMANDS}
    assert len(COMMANDS) >= 12 and {"cli", "hashtagnet.train.streaming", "hashtagnet.labels.vocab_pass"} <= programs


@pytest.mark.parametrize("where,program,args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_a_documented_command_line_parses(where, program, args):
    _check(program, args)


def test_brace_patterns_and_short_mappings_parse_as_a_shell_user_means_them():
    pattern = "/data/posts/shard-{000000..009999}.tar"
    assert parse_value(f"[{pattern}]") == [pattern] and len(expand_sources(parse_value(f"[{pattern}]"))) == 10_000
    assert parse_value("{width:16}") == {"width": 16} and parse_value("{width: 16, norm: batch}")["norm"] == "batch"
    assert parse_value("[a, 'b,c', 3]") == ["a", "b,c", 3] and parse_value("[]") == [] and parse_value("null") is None
    assert parse_value("{a,b}.tar") == "{a,b}.tar" and parse_value(pattern) == pattern
    recipe = load_recipe(None, [f"data.sources=[{pattern}]", "model.options={width:16}", f"data.val_sources={pattern}"])
    assert recipe["data"]["sources"] == [pattern] and recipe["model"]["options"] == {"width": 16}
    assert recipe["data"]["val_sources"] == [pattern]  # one pattern without brackets becomes a list of one
