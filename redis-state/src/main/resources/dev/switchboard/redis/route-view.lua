-- Reads what a router's view needs in one step: every disabled scope with its reason, every scope
-- still cooling down with the ms left, and every non-CLOSED routing breaker with the ms its open
-- period has left (0 or less: HALF_OPEN). Drops expired cooldowns and breakers idle past the TTL.
-- KEYS: 1 the disabled-scopes hash, 2 the cooldown index, 3 the index of non-CLOSED routing
-- breakers (one hash slot). ARGV: 1 the breakers' idle TTL ms; 2 the clock (clock.lua).
-- Returns {{scope, reason, ...}, {scope, ms left, ...}, {breaker, open ms left, ...}}.
local now = NOW_MS
local disabled = redis.call('HGETALL', KEYS[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local cooling = {}
local all = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  cooling[#cooling + 1] = all[i]
  cooling[#cooling + 1] = tonumber(all[i + 1]) - now
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[1]))
local breakers = {}
all = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
for i = 1, #all, 2 do
  breakers[#breakers + 1] = all[i]
  breakers[#breakers + 1] = tonumber(all[i + 1]) - now
end
return {disabled, cooling, breakers}
