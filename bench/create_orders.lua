-- wrk script: every request orders a different valid US number; counts statuses per thread.
-- `wrk ... -s create_orders.lua URL -- K`: the K-th of several wrk processes at once (default
-- 0) orders numbers none of the others does.
local threads = {}
local areas = {206, 212, 312, 415, 512, 617, 702, 808, 917, 303}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  base = (tonumber(args[1]) or 0) * 4
  created = 0
  failed = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local n = (base + id) * 1000000 + counter
  local area = areas[(n % #areas) + 1]
  local exchange = 200 + math.floor(n / #areas / 10000) % 800
  local line = math.floor(n / #areas) % 10000
  local body = string.format(
    '{"ProductType":"VoiceConnector","E164PhoneNumbers":["+1%d%03d%04d"]}', area, exchange, line)
  return wrk.format(nil, "/phone-number-orders", nil, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local c, f = 0, 0
  for _, thread in ipairs(threads) do
    c = c + thread:get("created")
    f = f + thread:get("failed")
  end
  io.write(string.format("CREATED %d FAILED %d\n", c, f))
end
