-- Circuit breaker library (prepended to the scripts that judge breakers), on the scripts' clock.
-- One breaker is one hash. Fields: s (0 CLOSED, 1 OPEN, 2 HALF_OPEN), tr (consecutive trips),
-- pi / ps (probes issued / succeeded), ou (open until, us), wt / ws (window type / size),
-- c / f (calls / failures in the window); COUNT: w (one '0'/'1' per slot), p (next slot);
-- TIME: hs (newest second), bc<i> / bf<i> (calls / failures of second i mod size).
-- A config is read from 8 consecutive ARGV: window type (0 COUNT, 1 TIME), window size, minimum
-- calls, failure rate threshold, open us, max open us, half-open probes, idle TTL ms.

local function breaker_config(at)
  return {wtype = tonumber(ARGV[at]), wsize = tonumber(ARGV[at + 1]), minimum = tonumber(ARGV[at + 2]),
    threshold = tonumber(ARGV[at + 3]), open_us = tonumber(ARGV[at + 4]), max_open_us = tonumber(ARGV[at + 5]),
    probes = tonumber(ARGV[at + 6]), idle_ms = tonumber(ARGV[at + 7])}
end

local function breaker_reset_window(b)
  b.calls = 0
  b.failures = 0
  for k, _ in pairs(b.h) do
    if k == 'w' or k == 'p' or k == 'hs' or string.sub(k, 1, 2) == 'bc' or string.sub(k, 1, 2) == 'bf' then
      b.h[k] = nil
    end
  end
end

-- Reads a breaker; a changed window type or size starts a fresh window.
local function breaker_load(key, cfg, now)
  local raw = redis.call('HGETALL', key)
  local h = {}
  for i = 1, #raw, 2 do
    h[raw[i]] = raw[i + 1]
  end
  local b = {key = key, cfg = cfg, now = now, exists = #raw > 0, h = h,
    state = tonumber(h.s or '0'), trips = tonumber(h.tr or '0'), issued = tonumber(h.pi or '0'),
    succeeded = tonumber(h.ps or '0'), open_until = tonumber(h.ou or '0'), calls = tonumber(h.c or '0'),
    failures = tonumber(h.f or '0')}
  if b.exists and (tonumber(h.wt or '-1') ~= cfg.wtype or tonumber(h.ws or '-1') ~= cfg.wsize) then
    breaker_reset_window(b)
  end
  return b
end

local function breaker_save(b)
  local h = b.h
  h.s = b.state
  h.tr = b.trips
  h.pi = b.issued
  h.ps = b.succeeded
  h.ou = string.format('%.0f', b.open_until)
  h.wt = b.cfg.wtype
  h.ws = b.cfg.wsize
  h.c = b.calls
  h.f = b.failures
  local flat = {}
  for k, v in pairs(h) do
    flat[#flat + 1] = k
    flat[#flat + 1] = v
  end
  redis.call('DEL', b.key)
  redis.call('HSET', b.key, unpack(flat))
  local ttl = b.cfg.idle_ms
  if b.state == 1 and b.open_until > b.now then
    ttl = ttl + math.ceil((b.open_until - b.now) / 1000)
  end
  redis.call('PEXPIRE', b.key, ttl)
  b.exists = true
end

local function breaker_open_for(cfg, n)
  local d = cfg.open_us
  for _ = 2, n do
    d = d * 2
    if d >= cfg.max_open_us then
      return cfg.max_open_us
    end
  end
  return math.min(d, cfg.max_open_us)
end

local function breaker_trip(b)
  b.trips = b.trips + 1
  b.open_until = b.now + breaker_open_for(b.cfg, b.trips)
  b.state = 1
  b.issued = 0
  b.succeeded = 0
  breaker_reset_window(b)
end

local function breaker_add(b, failure)
  local h = b.h
  local wsize = b.cfg.wsize
  if b.cfg.wtype == 0 then
    local w = h.w or string.rep('0', wsize)
    local pos = tonumber(h.p or '0')
    local at = pos + 1
    if b.calls == wsize then
      if string.sub(w, at, at) == '1' then
        b.failures = b.failures - 1
      end
    else
      b.calls = b.calls + 1
    end
    local bit = '0'
    if failure then
      bit = '1'
      b.failures = b.failures + 1
    end
    h.w = string.sub(w, 1, at - 1) .. bit .. string.sub(w, at + 1)
    h.p = (pos + 1) % wsize
    return
  end
  local second = math.floor(b.now / 1000000)
  local head = tonumber(h.hs or second)
  local gap = second - head
  if gap >= wsize then
    breaker_reset_window(b)
  elseif gap > 0 then
    for s = head + 1, second do
      local i = s % wsize
      b.calls = b.calls - tonumber(h['bc' .. i] or '0')
      b.failures = b.failures - tonumber(h['bf' .. i] or '0')
      h['bc' .. i] = nil
      h['bf' .. i] = nil
    end
  end
  h.hs = string.format('%.0f', second)
  local i = second % wsize
  h['bc' .. i] = tonumber(h['bc' .. i] or '0') + 1
  b.calls = b.calls + 1
  if failure then
    h['bf' .. i] = tonumber(h['bf' .. i] or '0') + 1
    b.failures = b.failures + 1
  end
end

-- Returns the state as read now: an OPEN breaker whose period has passed reads HALF_OPEN.
local function breaker_state(b)
  if b.state == 1 and b.open_until <= b.now then
    return 2
  end
  return b.state
end

-- Returns permitted (0/1), probe (0/1), state, previous, retry after (us).
local function breaker_acquire(b)
  if b.state == 0 then
    if b.exists then
      redis.call('PEXPIRE', b.key, b.cfg.idle_ms)
    end
    return 1, 0, 0, 0, 0
  end
  if b.state == 1 then
    if b.open_until > b.now then
      return 0, 0, 1, 1, b.open_until - b.now
    end
    b.state = 2
    b.issued = 1
    b.succeeded = 0
    breaker_save(b)
    return 1, 1, 2, 1, 0
  end
  if b.issued < b.cfg.probes then
    b.issued = b.issued + 1
    breaker_save(b)
    return 1, 1, 2, 2, 0
  end
  return 0, 0, 2, 2, b.cfg.open_us
end

-- Gives a probe slot back (a permit of a CLOSED breaker holds no slot).
local function breaker_release(b, probe)
  if probe and b.state == 2 and b.issued > b.succeeded then
    b.issued = b.issued - 1
    breaker_save(b)
  end
end

-- Records an outcome; returns the state after and before.
local function breaker_record(b, probe, failure)
  local before = b.state
  if probe then
    if not b.exists or b.state ~= 2 then
      return b.state, before
    end
    if failure then
      breaker_trip(b)
    else
      b.succeeded = b.succeeded + 1
      if b.succeeded >= b.cfg.probes then
        b.state = 0
        b.trips = 0
        b.issued = 0
        b.succeeded = 0
        breaker_reset_window(b)
      end
    end
    breaker_save(b)
    return b.state, before
  end
  if b.state ~= 0 then
    return b.state, before
  end
  breaker_add(b, failure)
  local needed = b.cfg.minimum
  if b.cfg.wtype == 0 then
    needed = math.min(b.cfg.minimum, b.cfg.wsize)
  end
  if b.calls >= needed and b.calls > 0 and b.failures / b.calls >= b.cfg.threshold then
    breaker_trip(b)
  end
  breaker_save(b)
  return b.state, before
end

-- Keeps the index of non-CLOSED breakers (a zset name -> open until ms) after a transition.
local function breaker_index(index, name, b)
  if b.state == 0 then
    redis.call('ZREM', index, name)
    return
  end
  local until_ms = math.floor(b.open_until / 1000)
  local now_ms = math.floor(b.now / 1000)
  redis.call('ZADD', index, until_ms, name)
  local keep = math.max(1, until_ms - now_ms) + b.cfg.idle_ms
  if redis.call('PTTL', index) < keep then
    redis.call('PEXPIRE', index, keep)
  end
end
