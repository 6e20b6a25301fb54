-- wrk script for POST /v1/provider/authenticate. Environment:
--   BODIES  file with one JSON request body per line (each thread sends its own share, in
--           order, so no assertion is sent twice), or
--   BODY    one body sent on every request (secrets);
--   TOKEN   the provider's bearer token.
local token = os.getenv("TOKEN")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
  bodies = {}
  local file = os.getenv("BODIES")
  if file then
    local n, i = tonumber(os.getenv("THREADS") or "1"), 0
    for line in io.lines(file) do
      if i % n == id then table.insert(bodies, line) end
      i = i + 1
    end
  else
    bodies = { os.getenv("BODY") }
  end
  next_body = 1
  statuses = {}
end

function request()
  local body = bodies[next_body]
  if os.getenv("BODIES") then next_body = next_body + 1 end
  if body == nil then body = bodies[#bodies] end
  return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then for k, v in pairs(s) do io.write(string.format("status %s: %d\n", k, v)) end end
  end
end
