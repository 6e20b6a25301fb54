-- POST /v1/clients/{id}/secret for production clients (the operator token in BENCH_TOKEN):
-- each request issues a secret delivered as an AES-256 zip by e-mail with its password by
-- SMS (outbox rows; no courier runs, so nothing is sent). The client ids come one per line
-- from BENCH_CLIENTS; each of the BENCH_THREADS threads goes round its own share, so no
-- two connections of a thread rotate the same client's secrets at once.
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local report = require("report")

id = 0  -- global: setup() sets it per thread
setup = report.setup

function init(args)
  clients = report.share(os.getenv("BENCH_CLIENTS"))
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
  body = '{"channel":"email","mobile":"+4791234567","email":"kari.nordmann@example.no"}'
  next_client = 0
end

function request()
  next_client = next_client % #clients + 1
  return wrk.format("POST", "/v1/clients/" .. clients[next_client] .. "/secret", headers, body)
end

done = report.done
