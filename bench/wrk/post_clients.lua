-- POST /v1/clients: a valid test-environment registration with a name unique per
-- request (thread number + counter), for the organisation in BENCH_ORGNO.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local report = require("report")

local token = os.getenv("BENCH_TOKEN")
local orgno = os.getenv("BENCH_ORGNO")
local threads = {}
local counter = 0
local run = os.getenv("BENCH_RUN") or "0"
thread_id = 0  -- global: setup() sets it per thread

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"environment":"test","integration_type":"idporten","client_name":"Benchmark client %s-%d-%d",' ..
    '"client_orgno":"%s","redirect_uris":["https://app.example.no/callback"],' ..
    '"post_logout_redirect_uris":["https://app.example.no/logout"],"scopes":["openid","profile"]}',
    run, thread_id, counter, orgno)
  return wrk.format("POST", "/v1/clients", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }, body)
end

done = report.done
