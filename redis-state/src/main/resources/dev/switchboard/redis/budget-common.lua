-- Shared prelude of the budget scripts (prepended to each one's body).
-- KEYS[1]: the pool's hash {l1,l2,l3 = limits per minute; v1,v2,v3 = levels; t = last refill, us}.
-- ARGV[1..3]: limits now in force (requests, input tokens, output tokens; 0 = unknown).
-- ARGV[4]: idle TTL of the hash in milliseconds.
-- Last ARGV: the clock (clock.lua): the Redis server's TIME, never a client's clock, except in tests.
local key = KEYS[1]
local limits = {tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])}
local idle_ms = tonumber(ARGV[4])
local now = NOW_US
local US_PER_MINUTE = 60000000
local h = redis.call('HMGET', key, 'l1', 'l2', 'l3', 'v1', 'v2', 'v3', 't')
local old = {tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0}
local lv = {tonumber(h[4]) or 0, tonumber(h[5]) or 0, tonumber(h[6]) or 0}
local last = tonumber(h[7]) or now

-- refill at the limits in force since the last call
if now > last then
  for i = 1, 3 do
    if old[i] > 0 and lv[i] < old[i] then
      lv[i] = math.min(old[i], lv[i] + (now - last) * old[i] / US_PER_MINUTE)
    end
  end
  last = now
end
-- adopt the limits: newly known starts full, lowered clamps, raised keeps the level
for i = 1, 3 do
  local n, p = limits[i], old[i]
  if n ~= p then
    if n == 0 then
      lv[i] = 0
    elseif p == 0 then
      lv[i] = n
    elseif lv[i] > n then
      lv[i] = n
    end
  end
end

local function save()
  redis.call('HSET', key, 'l1', limits[1], 'l2', limits[2], 'l3', limits[3],
    'v1', string.format('%.17g', lv[1]), 'v2', string.format('%.17g', lv[2]),
    'v3', string.format('%.17g', lv[3]), 't', string.format('%.0f', last))
  -- kept while idle, and at least until a bucket in debt has refilled
  local ttl = idle_ms
  for i = 1, 3 do
    if limits[i] > 0 and lv[i] < limits[i] then
      local need = math.ceil((limits[i] - lv[i]) * 60000 / limits[i]) + 1000
      if need > ttl then
        ttl = need
      end
    end
  end
  redis.call('PEXPIRE', key, ttl)
end
