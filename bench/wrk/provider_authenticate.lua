-- POST /v1/provider/authenticate with the provider token in BENCH_TOKEN, and either
--   BENCH_BODY    one request body sent on every request (client_secret_basic), or
--   BENCH_BODIES  a file with one body per line (private_key_jwt assertions, each with its
--                 own jti): each of the BENCH_THREADS threads sends its own share once, in
--                 order, and stops when it runs out, because a replayed jti is refused.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local report = require("report")

id = 0  -- global: setup() sets it per thread
setup = report.setup

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
  local file = os.getenv("BENCH_BODIES")
  if file and file ~= "" then
    bodies = report.share(file)
    once = true
  else
    bodies = { os.getenv("BENCH_BODY") }
    once = false
  end
  next_body = 1
end

function request()
  local body
  if once then
    body = bodies[next_body]
    next_body = next_body + 1
    if body == nil then
      -- Out of fresh assertions: end this thread's run rather than send a replay.
      wrk.thread:stop()
      return wrk.format("GET", "/healthz")
    end
  else
    body = bodies[1]
  end
  return wrk.format(nil, nil, nil, body)
end

done = report.done
