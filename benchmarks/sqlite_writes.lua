local token = os.getenv("BENCH_TOKEN")
local ids = {}
for id in string.gmatch(os.getenv("BENCH_IDS"), "%d+") do ids[#ids + 1] = id end
local threads, started = {}, 0
function setup(thread)
  started = started + 1
  thread:set("ident", ids[started])
  table.insert(threads, thread)
end
function init(args)
  path = "/api/people/" .. ident .. "/"
  n, failures = 0, 0
end
function request()
  local headers = {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}
  if etag == nil then return wrk.format("GET", path, headers) end
  n = n + 1
  headers["If-Match"] = etag
  return wrk.format("PATCH", path, headers, '{"notes": "write ' .. n .. '"}')
end
function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
  etag = headers["ETag"] or etag
end
function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("failures") end
  io.write(string.format("%d %.1f %.1f %.1f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
end
