-- wrk: PATCH /api/people/{id}/ with If-Match, as an editor would after reading the row.
-- Each wrk thread edits its own block of BENCH_SPAN ids (thread k: BENCH_FIRST_ID + k * BENCH_SPAN, ...), in
-- turn, so no two requests race for one row and every If-Match is current: a 412 would be a bug. The
-- ETags to start from are in the Lua file BENCH_ETAGS (`etags = {[id] = '"…"', …}`, written by
-- api_load.py from the database); each answer's ETag replaces its row's.
local token = os.getenv("BENCH_TOKEN")
local span = tonumber(os.getenv("BENCH_SPAN"))
local counter = 0

function setup(thread)
  thread:set("first", tonumber(os.getenv("BENCH_FIRST_ID")) + (thread_index or 0) * span)
  thread_index = (thread_index or 0) + 1
end

function init(args)
  dofile(os.getenv("BENCH_ETAGS"))
end

function request()
  local id = first + counter % span
  counter = counter + 1
  return wrk.format("PATCH", "/api/people/" .. id .. "/", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["If-Match"] = etags[id],
  }, '{"jobTitle": "Engineer ' .. counter .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    local id = tonumber(body:match('"id":%s*(%d+)'))
    if id then etags[id] = headers["ETag"] or headers["etag"] end
  end
end
