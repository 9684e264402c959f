"""Where a worker's CPU goes, from a py-spy profile, in the buckets of issue #22's profile.

Record a worker under load (as root; ``pip install py-spy`` anywhere, it is not a project
dependency), then bucket the samples::

    py-spy record --pid <worker pid> --gil --format raw --duration 20 -o /tmp/w.txt
    .venv/bin/python bench/profile_buckets.py /tmp/w.txt [/tmp/other-worker.txt ...]

py-spy's raw format is one collapsed stack a line (``frame;frame;...;leaf count``, outermost
first). Each sample is counted once, in the bucket of the innermost frame that names one of
the packages below (the leaf's own code, or the nearest caller of a C function or of the
standard library): *own time* per layer. Separately, the share of samples with graphql-core's
executor anywhere on the stack (*under GraphQL execution*, inclusive) is printed, the figure
the issue's profile led with (80 %).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

# (bucket, pattern on a frame) in the order they are tried on each frame, innermost first
BUCKETS: list[tuple[str, re.Pattern[str]]] = [
    ("graphql-core executor", re.compile(r"\(graphql/execution/")),
    ("graphql-core (parse, validate, other)", re.compile(r"\(graphql/")),
    ("strawberry", re.compile(r"\(strawberry/")),
    ("piccolo (query building, row transform)", re.compile(r"\(piccolo/")),
    ("asyncpg (protocol, decoding)", re.compile(r"\(asyncpg/")),
    ("redis client", re.compile(r"\(redis/")),
    ("litestar", re.compile(r"\(litestar/")),
    ("uvicorn + httptools", re.compile(r"\((uvicorn|httptools|uvloop)/")),
    ("msgspec", re.compile(r"\(msgspec/")),
    ("portal + training + ml code", re.compile(r"\((portal|training|ml)/")),
]
OTHER = "asyncio event loop, stdlib, other"
_LINE = re.compile(r"^(?P<stack>.*) (?P<count>\d+)$")
_EXECUTING = re.compile(r"\(graphql/execution/")


def bucket(frames: list[str]) -> str:
    """The bucket of one sample: its innermost frame that matches a bucket's pattern."""
    for frame in reversed(frames):
        for name, pattern in BUCKETS:
            if pattern.search(frame):
                return name
    return OTHER


def tally(paths: list[Path]) -> tuple[Counter[str], int, int]:
    """Samples per bucket, samples under graphql-core's executor, all samples."""
    buckets: Counter[str] = Counter()
    executing = total = 0
    for path in paths:
        for line in path.read_text().splitlines():
            match = _LINE.match(line.strip())
            if match is None:
                continue
            frames = match["stack"].split(";")
            count = int(match["count"])
            buckets[bucket(frames)] += count
            total += count
            if any(_EXECUTING.search(f) for f in frames):
                executing += count
    return buckets, executing, total


def main() -> None:
    """Print the buckets of the profiles given."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profiles", nargs="+", type=Path, help="py-spy --format raw files")
    args = parser.parse_args()
    buckets, executing, total = tally(args.profiles)
    if not total:
        raise SystemExit("no samples")
    print(f"{total} samples; under graphql-core's executor (inclusive): {executing / total:.1%}")
    print("| own time in | share of samples |")
    print("|---|---|")
    for name, count in buckets.most_common():
        print(f"| {name} | {count / total:.1%} |")


if __name__ == "__main__":
    main()
