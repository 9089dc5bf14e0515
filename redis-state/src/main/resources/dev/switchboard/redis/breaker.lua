-- One circuit breaker (see breaker-common.lua), judged on the scripts' clock.
-- KEYS[1]: the breaker's hash; KEYS[2] (optional, same hash slot): the index of non-CLOSED
-- breakers, updated here on a transition by 'record'.
-- ARGV: 1 op ('acquire' | 'record' | 'release' | 'state'), 2..9 the config (breaker-common.lua),
-- 10 probe (0/1; record, release), 11 failure (0/1; record), 12 the name (for the index),
-- 13 the clock (clock.lua).
-- acquire returns {permitted, probe, state, previous, retry after us};
-- record returns {state, previous, open until ms, open left us}; release and state return {state}.
local op = ARGV[1]
local b = breaker_load(KEYS[1], breaker_config(2), NOW_US)

if op == 'state' then
  return {breaker_state(b)}
end
if op == 'acquire' then
  local permitted, probe, state, previous, retry = breaker_acquire(b)
  return {permitted, probe, state, previous, retry}
end
if op == 'release' then
  breaker_release(b, ARGV[10] == '1')
  return {b.state}
end
local after, before = breaker_record(b, ARGV[10] == '1', ARGV[11] == '1')
if after ~= before and KEYS[2] then
  breaker_index(KEYS[2], ARGV[12], b)
end
return {after, before, math.floor(b.open_until / 1000), math.max(0, b.open_until - b.now)}
