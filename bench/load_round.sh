#!/usr/bin/env bash
# One load round as recorded in bench/RESULTS.md: two app workers on the PostgreSQL bench city
# with Redis, then every bench/load.py scenario, one JSON line each, into $OUT.
#
#   PORTAL_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench bench/load_round.sh
#
# The city comes first (see RESULTS.md): `portal demo --no-serve --employees 13000
# --history-days 366` into that database, then VACUUM ANALYZE. SECONDS_PER_RUN and CLIENTS
# change the run length and the number of clients (defaults 20 s, 50 clients).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${PORTAL_DATABASE_URL:?set PORTAL_DATABASE_URL to the bench city}
SECS=${SECONDS_PER_RUN:-20}
CLIENTS=${CLIENTS:-50}
OUT=${OUT:-/tmp/load-round-$(date +%Y%m%d-%H%M).jsonl}
PY=.venv/bin/python

export PORTAL_DATABASE_URL=$DB PORTAL_REDIS_URL=${PORTAL_REDIS_URL:-redis://127.0.0.1:6379/5}
export PORTAL_QUERY_COUNT_HEADER=1 PORTAL_DB_POOL_MAX=20 PORTAL_RATE_LIMIT_PER_MINUTE=0
export PORTAL_BENCH_ENDPOINTS=1  # the raw JSON twin of the supervisor dashboard (scenario "raw")
export PORTAL_SECRET_KEY=${PORTAL_SECRET_KEY:-bench-secret-key-that-is-long-enough-0123456789}
pids=()
for port in 8001 8002; do
  .venv/bin/uvicorn portal.app:create_app --factory --port "$port" --log-level warning \
    --no-access-log &
  pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for port in 8001 8002; do
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.5; done
done

# 50 distinct supervisors drawn from the city (fixed seed), with the city's team sizes
SUPERVISORS=$(psql "$DB" -Atc "select setseed(0.42); " -c "
  select string_agg(username, ',') from (
    select a.username from user_account a
    join (select supervisor, count(*) n from employee where supervisor is not null
          group by supervisor) t on t.supervisor = a.employee
    order by random() limit $CLIENTS) s" | tail -1)
EMPLOYEES=$(psql "$DB" -Atc "select setseed(0.42); " -c "
  select string_agg(username, ',') from (
    select a.username from user_account a join employee e on e.id = a.employee
    where e.supervisor is not null order by random() limit $CLIENTS) s" | tail -1)
TODAY=$(date -u +%F)

run() {
  echo "== $*" >&2
  $PY bench/load.py --url http://127.0.0.1:8001 --url http://127.0.0.1:8002 \
    --clients "$CLIENTS" --seconds "$SECS" --log-date "$TODAY" "$@" | tee -a "$OUT"
}

export PYTHONPATH=.
run --scenario floor
run --scenario dashboard
run --scenario raw
run --scenario team
run --scenario dashboard --users "$SUPERVISORS"
run --scenario raw --users "$SUPERVISORS"
run --scenario dashboard --users "$SUPERVISORS" --think-ms 1000
run --scenario dashboard --think-ms 1000
run --scenario home --users "$EMPLOYEES"
run --scenario home --users "$EMPLOYEES" --think-ms 1000
run --scenario log --users "$EMPLOYEES"
run --scenario log --users "$EMPLOYEES" --think-ms 100
run --scenario batch --batch 20 --users "$EMPLOYEES"
run --scenario thread
echo "results in $OUT" >&2
