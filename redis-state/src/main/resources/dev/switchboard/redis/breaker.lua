-- One circuit breaker in one hash, judged with the Redis server's clock.
-- KEYS[1]: the breaker's hash. Fields: s (0 CLOSED, 1 OPEN, 2 HALF_OPEN), tr (consecutive trips),
-- pi / ps (probes issued / succeeded), ou (open until, us), wt / ws (window type / size),
-- c / f (calls / failures in the window); COUNT: w (one '0'/'1' per slot), p (next slot);
-- TIME: hs (newest second), bc<i> / bf<i> (calls / failures of second i mod size).
-- ARGV: 1 op ('acquire' | 'record' | 'release' | 'state'), 2 window type (0 COUNT, 1 TIME),
-- 3 window size, 4 minimum calls, 5 failure rate threshold, 6 open us, 7 max open us,
-- 8 half-open probes, 9 idle TTL ms, 10 probe (0/1; record, release), 11 failure (0/1; record),
-- 12 the clock (clock.lua).
-- acquire returns {permitted, probe, state, previous, retry after us};
-- record returns {state, previous, open until ms}; release and state return {state}.
local key = KEYS[1]
local op = ARGV[1]
local wtype = tonumber(ARGV[2])
local wsize = tonumber(ARGV[3])
local minimum = tonumber(ARGV[4])
local threshold = tonumber(ARGV[5])
local open_us = tonumber(ARGV[6])
local max_open_us = tonumber(ARGV[7])
local probes = tonumber(ARGV[8])
local idle_ms = tonumber(ARGV[9])
local now = NOW_US

local raw = redis.call('HGETALL', key)
local exists = #raw > 0
local b = {}
for i = 1, #raw, 2 do
  b[raw[i]] = raw[i + 1]
end
local state = tonumber(b.s or '0')
local trips = tonumber(b.tr or '0')
local issued = tonumber(b.pi or '0')
local succeeded = tonumber(b.ps or '0')
local open_until = tonumber(b.ou or '0')
local calls = tonumber(b.c or '0')
local failures = tonumber(b.f or '0')

local function reset_window()
  calls = 0
  failures = 0
  for k, _ in pairs(b) do
    if k == 'w' or k == 'p' or k == 'hs' or string.sub(k, 1, 2) == 'bc' or string.sub(k, 1, 2) == 'bf' then
      b[k] = nil
    end
  end
end

local function save()
  b.s = state
  b.tr = trips
  b.pi = issued
  b.ps = succeeded
  b.ou = string.format('%.0f', open_until)
  b.wt = wtype
  b.ws = wsize
  b.c = calls
  b.f = failures
  local flat = {}
  for k, v in pairs(b) do
    flat[#flat + 1] = k
    flat[#flat + 1] = v
  end
  redis.call('DEL', key)
  redis.call('HSET', key, unpack(flat))
  local ttl = idle_ms
  if state == 1 and open_until > now then
    ttl = ttl + math.ceil((open_until - now) / 1000)
  end
  redis.call('PEXPIRE', key, ttl)
end

local function open_for(n)
  local d = open_us
  for _ = 2, n do
    d = d * 2
    if d >= max_open_us then
      return max_open_us
    end
  end
  return math.min(d, max_open_us)
end

local function trip()
  trips = trips + 1
  open_until = now + open_for(trips)
  state = 1
  issued = 0
  succeeded = 0
  reset_window()
end

local function add(failure)
  if wtype == 0 then
    local w = b.w or string.rep('0', wsize)
    local pos = tonumber(b.p or '0')
    local at = pos + 1
    if calls == wsize then
      if string.sub(w, at, at) == '1' then
        failures = failures - 1
      end
    else
      calls = calls + 1
    end
    local bit = '0'
    if failure then
      bit = '1'
      failures = failures + 1
    end
    b.w = string.sub(w, 1, at - 1) .. bit .. string.sub(w, at + 1)
    b.p = (pos + 1) % wsize
    return
  end
  local second = math.floor(now / 1000000)
  local head = tonumber(b.hs or second)
  local gap = second - head
  if gap >= wsize then
    reset_window()
  elseif gap > 0 then
    for s = head + 1, second do
      local i = s % wsize
      calls = calls - tonumber(b['bc' .. i] or '0')
      failures = failures - tonumber(b['bf' .. i] or '0')
      b['bc' .. i] = nil
      b['bf' .. i] = nil
    end
  end
  b.hs = string.format('%.0f', second)
  local i = second % wsize
  b['bc' .. i] = tonumber(b['bc' .. i] or '0') + 1
  calls = calls + 1
  if failure then
    b['bf' .. i] = tonumber(b['bf' .. i] or '0') + 1
    failures = failures + 1
  end
end

-- a changed window type or size starts a fresh window
if exists and (tonumber(b.wt or '-1') ~= wtype or tonumber(b.ws or '-1') ~= wsize) then
  reset_window()
end

if op == 'state' then
  if state == 1 and open_until <= now then
    return {2}
  end
  return {state}
end

if op == 'acquire' then
  if state == 0 then
    if exists then
      redis.call('PEXPIRE', key, idle_ms)
    end
    return {1, 0, 0, 0, 0}
  end
  if state == 1 then
    if open_until > now then
      return {0, 0, 1, 1, open_until - now}
    end
    state = 2
    issued = 1
    succeeded = 0
    save()
    return {1, 1, 2, 1, 0}
  end
  if issued < probes then
    issued = issued + 1
    save()
    return {1, 1, 2, 2, 0}
  end
  return {0, 0, 2, 2, open_us}
end

local probe = ARGV[10] == '1'

if op == 'release' then
  if probe and state == 2 and issued > succeeded then
    issued = issued - 1
    save()
  end
  return {state}
end

-- record
local failure = ARGV[11] == '1'
local before = state
if probe then
  if not exists or state ~= 2 then
    return {state, before, 0}
  end
  if failure then
    trip()
  else
    succeeded = succeeded + 1
    if succeeded >= probes then
      state = 0
      trips = 0
      issued = 0
      succeeded = 0
      reset_window()
    end
  end
  save()
  return {state, before, math.floor(open_until / 1000)}
end
if state ~= 0 then
  return {state, before, math.floor(open_until / 1000)}
end
add(failure)
local needed = minimum
if wtype == 0 then
  needed = math.min(minimum, wsize)
end
if calls >= needed and calls > 0 and failures / calls >= threshold then
  trip()
end
save()
return {state, before, math.floor(open_until / 1000)}
