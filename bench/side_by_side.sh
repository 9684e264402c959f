#!/bin/bash
# CPU per request of one scenario, the old code and this tree in turn, in one run (issue 22).
#
#   bench/side_by_side.sh OLD_TREE SCENARIO REQUESTS [ROUNDS] [extra profile_request args]
#
# OLD_TREE: a worktree of the commit to compare with (git worktree add --detach /tmp/old main);
# both run this tree's bench/ scripts and this tree's virtualenv, against the database and
# Redis of the environment (PORTAL_DATABASE_URL, PORTAL_REDIS_URL). Set
# PORTAL_RATE_LIMIT_PER_MINUTE high (not 0): the rate limit is part of every request's cost.
set -euo pipefail
old=$1 scenario=$2 requests=$3 rounds=${4:-2}
shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")/.." && pwd)
python=$here/.venv/bin/python
bench=$(mktemp -d)
cp -r "$here/bench" "$bench/bench"
mkdir -p "$bench/graphql" && cp -r "$here/graphql/operations" "$bench/graphql/"
for _ in $(seq 1 "$rounds"); do
  for tree in "$old" "$here"; do
    label=$([ "$tree" = "$here" ] && echo "after " || echo "before")
    (cd "$tree" && PYTHONPATH="$bench:$tree" "$python" "$bench/bench/profile_request.py" \
      --scenario "$scenario" --requests "$requests" --driver asgi "$@" 2>&1 \
      | grep -v " - INFO -\|^INFO -" | sed "s/^/$label: /")
  done
done
rm -rf "$bench"
