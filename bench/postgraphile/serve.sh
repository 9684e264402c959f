#!/usr/bin/env bash
# PostGraphile 4.14.1 over the portal's database, for the comparison of issue #22.
#
#   bench/postgraphile/serve.sh postgresql://postgres@127.0.0.1:5432/pgb_city [PORT] [WORKERS]
#
# Applies bench_pg.sql (the schema bench_pg: views, smart comments, computed columns; it is
# dropped and recreated, the portal's own schema is never touched), then serves only bench_pg
# on 127.0.0.1:PORT (default 5000) at /graphql. WORKERS > 1 runs `--cluster-workers WORKERS`.
# POOL sets the PostgreSQL pool of each process (default 20, the portal's PORTAL_DB_POOL_MAX).
# No authorization: PostGraphile connects as the given user and answers every query.
set -euo pipefail
cd "$(dirname "$0")"
DB=${1:?usage: serve.sh DATABASE_URL [PORT] [WORKERS]}
PORT=${2:-5000}
WORKERS=${3:-1}
[ -x node_modules/.bin/postgraphile ] || npm ci --no-audit --no-fund >&2
if [ "${APPLY:-1}" = 1 ]; then  # APPLY=0: bench_pg is already there (a second server)
  psql "$DB" -q -v ON_ERROR_STOP=1 -f bench_pg.sql >&2
fi
args=(-c "$DB" --schema bench_pg --host 127.0.0.1 --port "$PORT" --dynamic-json
  --disable-query-log --disable-graphiql --disable-default-mutations
  --no-setof-functions-contain-nulls --max-pool-size "${POOL:-20}")
if [ "$WORKERS" -gt 1 ]; then
  args+=(--cluster-workers "$WORKERS")
fi
exec node_modules/.bin/postgraphile "${args[@]}"
