-- Claims a route in one step, all or nothing: no disabled scope, no cooldown, every breaker
-- permits (acquired in order; a refusal releases the ones taken), and the budget holds the demand
-- (a refusal releases every breaker). Every key shares the routing hash tag.
-- KEYS: 1 the disabled-scopes hash, 2 the cooldown key of the claim's scope, 3 the pool,
-- 4.. the breakers in order.
-- ARGV: 1 d = number of disabled scopes, 2..1+d the scopes; then at a = d + 2: cooldown check
-- (0/1), a+1..a+8 the breaker config (breaker-common.lua), a+9..a+11 the pool's limits, a+12 the
-- pool's idle TTL ms, a+13..a+15 the demand; last: the clock (clock.lua).
-- Returns {status, reason, index, wait, detail, n, probe, state, previous (n times), t,
-- breaker index, from, to (t times)}. status: 0 GRANTED, 1 DISABLED (index: the scope, reason),
-- 2 COOLING (wait: ms left), 3 BREAKER_OPEN (index: the breaker, wait: us, detail: its state),
-- 4 BUDGET_SHORT (wait: ns, -1 never fits; detail: the dimension 1..3). Transitions are reported
-- even when the claim is refused.
local d = tonumber(ARGV[1])
if d > 0 then
  local scopes = {}
  for i = 1, d do
    scopes[i] = ARGV[1 + i]
  end
  local reasons = redis.call('HMGET', KEYS[1], unpack(scopes))
  for i = 1, d do
    if reasons[i] then
      return {1, reasons[i], i, 0, 0, 0, 0}
    end
  end
end
local a = d + 2
if ARGV[a] == '1' then
  local v = redis.call('GET', KEYS[2])
  if v then
    local left = (tonumber(v) or 0) - NOW_MS
    if left > 0 then
      return {2, '', 0, left, 0, 0, 0}
    end
  end
end

local cfg = breaker_config(a + 1)
local n = #KEYS - 3
local taken = {}
local permits = {}
local transitions = {}
local function refuse(status, index, wait, detail)
  for j = #taken, 1, -1 do
    breaker_release(taken[j], true)
  end
  local out = {status, '', index, wait, detail, 0, #transitions / 3}
  for j = 1, #transitions do
    out[#out + 1] = transitions[j]
  end
  return out
end

for i = 1, n do
  local b = breaker_load(KEYS[3 + i], cfg, NOW_US)
  local permitted, probe, state, previous, retry = breaker_acquire(b)
  if state ~= previous then
    transitions[#transitions + 1] = i
    transitions[#transitions + 1] = previous
    transitions[#transitions + 1] = state
  end
  if permitted == 0 then
    return refuse(3, i, retry, state)
  end
  if probe == 1 then
    taken[#taken + 1] = b
  end
  permits[#permits + 1] = probe
  permits[#permits + 1] = state
  permits[#permits + 1] = previous
end

local p = budget_load(KEYS[3], {tonumber(ARGV[a + 9]), tonumber(ARGV[a + 10]), tonumber(ARGV[a + 11])}, NOW_US)
local ok, wait, dimension = budget_take(p, {tonumber(ARGV[a + 13]), tonumber(ARGV[a + 14]), tonumber(ARGV[a + 15])})
budget_save(p, tonumber(ARGV[a + 12]))
if not ok then
  return refuse(4, 0, wait, dimension)
end

local out = {0, '', 0, 0, 0, n}
for j = 1, #permits do
  out[#out + 1] = permits[j]
end
out[#out + 1] = #transitions / 3
for j = 1, #transitions do
  out[#out + 1] = transitions[j]
end
return out
