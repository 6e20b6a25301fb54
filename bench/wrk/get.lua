-- GET BENCH_PATH with the operator token in BENCH_TOKEN (ops/bench sets both).
package.path = os.getenv("BENCH_DIR") .. "/wrk/?.lua;" .. package.path
local report = require("report")

wrk.method = "GET"
wrk.path = os.getenv("BENCH_PATH")
if os.getenv("BENCH_TOKEN") and os.getenv("BENCH_TOKEN") ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

done = report.done
