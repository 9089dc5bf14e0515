-- Token-bucket library (prepended to the scripts that touch budgets), on the scripts' clock.
-- A pool is one hash {l1,l2,l3 = limits per minute; v1,v2,v3 = levels; t = last refill, us}:
-- three buckets refilled continuously at limit/60 per second; 0 = unknown, not enforced.
local US_PER_MINUTE = 60000000

-- Adopts the limits now in force: a newly known one starts full, a lowered one clamps the level,
-- a raised one keeps it (it refills faster from now on).
local function budget_adopt(p, limits)
  for i = 1, 3 do
    local n, old = limits[i], p.limits[i]
    if n ~= old then
      p.adopted = true
      if n == 0 then
        p.lv[i] = 0
      elseif old == 0 then
        p.lv[i] = n
      elseif p.lv[i] > n then
        p.lv[i] = n
      end
    end
  end
  p.limits = limits
end

-- Reads a pool, refills it to now at the limits in force since its last call, adopts `limits`.
local function budget_load(key, limits, now)
  local h = redis.call('HMGET', key, 'l1', 'l2', 'l3', 'v1', 'v2', 'v3', 't')
  local p = {key = key, adopted = false,
    limits = {tonumber(h[1]) or 0, tonumber(h[2]) or 0, tonumber(h[3]) or 0},
    lv = {tonumber(h[4]) or 0, tonumber(h[5]) or 0, tonumber(h[6]) or 0},
    last = tonumber(h[7]) or now}
  if now > p.last then
    for i = 1, 3 do
      local limit = p.limits[i]
      if limit > 0 and p.lv[i] < limit then
        p.lv[i] = math.min(limit, p.lv[i] + (now - p.last) * limit / US_PER_MINUTE)
      end
    end
    p.last = now
  end
  budget_adopt(p, limits)
  return p
end

-- Writes a pool back; kept while idle, and at least until a bucket in debt has refilled.
local function budget_save(p, idle_ms)
  local limits, lv = p.limits, p.lv
  redis.call('HSET', p.key, 'l1', limits[1], 'l2', limits[2], 'l3', limits[3],
    'v1', string.format('%.17g', lv[1]), 'v2', string.format('%.17g', lv[2]),
    'v3', string.format('%.17g', lv[3]), 't', string.format('%.0f', p.last))
  local ttl = idle_ms
  for i = 1, 3 do
    if limits[i] > 0 and lv[i] < limits[i] then
      local need = math.ceil((limits[i] - lv[i]) * 60000 / limits[i]) + 1000
      if need > ttl then
        ttl = need
      end
    end
  end
  redis.call('PEXPIRE', p.key, ttl)
end

-- Takes `demand` from all three buckets, or nothing. Returns true, or false with the wait (ns;
-- -1 when the demand exceeds a bucket's capacity and never fits) and the refusing dimension 1..3.
local function budget_take(p, demand)
  local wait, slowest = 0, 0
  for i = 1, 3 do
    local limit = p.limits[i]
    if limit > 0 then
      if demand[i] > limit then
        return false, -1, i
      end
      local deficit = demand[i] - p.lv[i]
      if deficit > limit * 1e-9 then
        local w = math.max(1, math.ceil(deficit * 60000000000 / limit))
        if slowest == 0 or w > wait then
          wait = w
          slowest = i
        end
      end
    end
  end
  if slowest > 0 then
    return false, wait, slowest
  end
  for i = 1, 3 do
    if p.limits[i] > 0 then
      p.lv[i] = p.lv[i] - demand[i]
    end
  end
  return true, 0, 0
end

-- Corrects a grant of `reserved` to `actual`: refunds up to the limit, or takes the excess,
-- which may leave a bucket negative (debt, repaid by refill).
local function budget_settle(p, reserved, actual)
  for i = 1, 3 do
    if p.limits[i] > 0 then
      p.lv[i] = math.min(p.limits[i], p.lv[i] + reserved[i] - actual[i])
    end
  end
end

-- Lowers each bucket to the server's remaining count (-1 = absent) plus a tolerance; never raises.
local function budget_lower(p, remaining, tolerance)
  for i = 1, 3 do
    if remaining[i] >= 0 and p.limits[i] > 0 then
      local ceiling = remaining[i] + tolerance[i]
      if p.lv[i] > ceiling then
        p.lv[i] = ceiling
      end
    end
  end
end

-- The single-pool scripts: KEYS[1] the pool; ARGV[1..3] the limits; ARGV[4] idle TTL ms.
local function budget_args(from)
  return {tonumber(ARGV[from]), tonumber(ARGV[from + 1]), tonumber(ARGV[from + 2])}
end
