-- Shared by the wrk scripts: numbering the threads, giving each thread its share of a file
-- of request data, and at the end of a run writing the figures ops/bench reports as one
-- JSON object to the file named by the environment variable BENCH_OUT.
local report = {}

-- As the script's setup(): numbers the threads, setting the global `id` of each thread's
-- own Lua state to 0, 1, 2, ... (a script that uses it declares `id = 0`).
local threads = 0
function report.setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

-- This thread's share of the non-empty lines of the file `path`: of the BENCH_THREADS
-- threads, thread `id` takes lines id, id + n, id + 2n, ..., so no two threads share one.
function report.share(path)
  local n, i, out = tonumber(os.getenv("BENCH_THREADS") or "1"), 0, {}
  for line in io.lines(path) do
    if line ~= "" then
      if i % n == id then table.insert(out, line) end
      i = i + 1
    end
  end
  return out
end

function report.done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local out = assert(io.open(os.getenv("BENCH_OUT"), "w"))
  out:write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"max_ms":%.3f,"non_2xx":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,"timeouts":%d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
  out:close()
end

return report
