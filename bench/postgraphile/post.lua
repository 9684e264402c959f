-- wrk script of bench/compare_postgraphile.py: POST GraphQL bodies to /graphql, cycling over
-- the lines of the file named by the environment variable WRK_BODIES. Each line is
-- "<bearer token or empty><TAB><JSON body>" (one line per user: the portal's token and its
-- body, or PostGraphile's body with the user's variables and no token). Every request takes
-- the next line (each wrk thread starts at its own offset), so 50 connections over 50 lines
-- keep 50 different users in flight.
-- A 200 answer whose body holds "errors" counts as an error; done() prints the counts as
-- one JSON line starting with "WRK_JSON ".

local lines = {}

-- built in each thread's init(): only then does wrk know the host (a request without a Host
-- header is a 400 for Node's HTTP server, which PostGraphile runs on)
local function load_lines()
  for line in io.lines(os.getenv("WRK_BODIES")) do
    local token, body = line:match("^([^\t]*)\t(.*)$")
    local headers = { ["Content-Type"] = "application/json", ["Host"] = wrk.host .. ":" .. wrk.port }
    if token ~= "" then
      headers["Authorization"] = "Bearer " .. token
    end
    lines[#lines + 1] = wrk.format("POST", "/graphql", headers, body)
  end
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  load_lines()
  counter = id  -- each thread starts elsewhere in the list
  errors = 0
  checked = 0
end

function request()
  counter = counter + 1
  return lines[(counter % #lines) + 1]
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or body:find('"errors"', 1, true) then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local errs, seen = 0, 0
  for _, thread in ipairs(threads) do
    errs = errs + thread:get("errors")
    seen = seen + thread:get("checked")
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "graphql_errors": %d, "checked": %d, '
      .. '"socket_errors": %d, "p50_ms": %.1f, "p90_ms": %.1f, "p99_ms": %.1f}\n',
    summary.requests, summary.duration / 1e6, errs, seen,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000))
end
