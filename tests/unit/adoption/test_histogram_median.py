"""The median of a latency histogram (the aggregates' form) equals the median of the values."""

from __future__ import annotations

import random
from collections import Counter

from portal.adoption import metrics, sql


def test_histogram_median_equals_the_median_of_the_values() -> None:
    rng = random.Random(4)
    for size in [*range(1, 12), 50, 51, 400]:
        for _ in range(30):
            values = [rng.choice((0, 0, 0, 1, 2, 3, 7, 9, 40)) for _ in range(size)]
            assert sql._histogram_median(Counter(values)) == metrics.median(values)


def test_an_empty_histogram_has_no_median() -> None:
    assert sql._histogram_median({}) is None
    assert sql._histogram_median({3: 0}) is None
