"""Hostile answers files: whatever a handed-in file holds, scoring says why it scores what it
scores and never raises. Mutations of a real answers file (values swapped for other JSON
types, wrong labels, lists where strings go) are parsed with the grader's reader and scored
for every a1_claims item with its key."""

from __future__ import annotations

import json
import random

import grading_fixtures as gf
import pytest

from medialit.course.keys import read_test_cells
from medialit.scoring import belongs, nesting_depth, parse_sheet, score

VALUES = [None, 1, -1.5, "x", "", [], {}, ["a", "b"], {"a": 1}, True, ["evidence", "claim"]]


def _mutate(rng: random.Random, node, depth: int = 0) -> None:
    if isinstance(node, dict) and node:
        key = rng.choice(list(node))
        if rng.random() < 0.4 or depth > 3:
            node[key] = json.loads(json.dumps(rng.choice(VALUES)))
        else:
            _mutate(rng, node[key], depth + 1)
    elif isinstance(node, list) and node:
        i = rng.randrange(len(node))
        if rng.random() < 0.5:
            node[i] = json.loads(json.dumps(rng.choice(VALUES)))
        else:
            _mutate(rng, node[i], depth + 1)


@pytest.fixture(scope="module")
def tests():
    return read_test_cells(gf.KIT / "solutions" / gf.A1 / f"{gf.A1}.ipynb", gf.A1)


def test_mutated_answers_files_never_crash_the_scorer(tests):
    rng = random.Random(20261130)
    good = json.loads(gf.answers_bytes())
    refused = 0
    for _ in range(600):
        data = json.loads(json.dumps(good))
        for _ in range(rng.randint(1, 3)):
            _mutate(rng, data)
        sheet, problem = parse_sheet(json.dumps(data).encode(), "answers/a1_claims.json")
        refused += sheet is None
        assert (sheet is None) == bool(problem)
        for test in tests.values():
            why = problem if sheet is None else belongs(test.item, sheet, "answers/x.json")
            result = score(test.item, sheet if why is None else None, why, test.key)
            assert 0 <= result.points <= test.item.points
            assert result.lines[-1].startswith("Score: ")
    assert 0 < refused < 600  # the mutations hit both valid and invalid files


def test_nesting_depth_is_counted_without_recursion():
    deep: list = []
    node = deep
    for _ in range(50_000):
        node.append([])
        node = node[0]
    assert nesting_depth(deep) == 50_001
    assert nesting_depth({"a": [1, {"b": []}]}) == 4  # object, list, object, list
