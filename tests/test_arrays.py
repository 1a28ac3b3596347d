"""The numpy building blocks of matching and aligning."""

from __future__ import annotations

import numpy as np

from workbench import arrays


def test_distinct_is_what_np_unique_returns() -> None:
    keys = np.random.default_rng(3).integers(0, 50, 1000)
    assert np.array_equal(arrays.distinct(keys), np.unique(keys))
    assert len(arrays.distinct(np.empty(0, dtype=np.int64))) == 0


def test_runs_are_the_starts_and_lengths_of_equal_values() -> None:
    starts, lengths = arrays.runs(np.array([4, 4, 7, 9, 9, 9]))
    assert starts.tolist() == [0, 2, 3] and lengths.tolist() == [2, 1, 3]
    assert [a.tolist() for a in arrays.runs(np.array([], dtype=np.int64))] == [[], []]


def test_within_counts_from_zero_inside_each_run() -> None:
    assert arrays.within(np.array([2, 0, 3])).tolist() == [0, 1, 0, 1, 2]


def test_pairs_within_pairs_every_two_positions_of_a_run_once() -> None:
    first, second = arrays.pairs_within(np.array([1, 1, 1, 2, 3, 3]))
    assert list(zip(first.tolist(), second.tolist())) == [(0, 1), (0, 2), (1, 2), (4, 5)]


def test_a_vocabulary_numbers_items_in_order_of_first_sight() -> None:
    vocabulary = arrays.Vocabulary()
    assert vocabulary.ids(["b", "a", "b", "c"]).tolist() == [0, 1, 0, 2]
    assert vocabulary.ids(["c", "d"]).tolist() == [2, 3]
