-- wrk: GET /api/people/{id}/ for random ids in [BENCH_FIRST_ID, BENCH_LAST_ID], signed in with BENCH_TOKEN.
local token = os.getenv("BENCH_TOKEN")
local first, last = tonumber(os.getenv("BENCH_FIRST_ID")), tonumber(os.getenv("BENCH_LAST_ID"))
local headers = { ["Authorization"] = "Bearer " .. token }

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

function request()
  return wrk.format("GET", "/api/people/" .. math.random(first, last) .. "/", headers)
end
