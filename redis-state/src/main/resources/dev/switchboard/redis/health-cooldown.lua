-- Cools a scope down; never shortens a longer cooldown.
-- KEYS[1]: the scope's cooldown key, holding the end of the cooldown (ms) and expiring with it
-- (PX); KEYS[2]: the index zset (scope -> until ms). Both keys share the {health} hash tag.
-- ARGV[1]: duration ms; ARGV[2]: scope; ARGV[3]: the clock (clock.lua).
local ms = tonumber(ARGV[1])
local now = NOW_MS
local untilMs = now + ms
local current = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if current < untilMs then
  redis.call('SET', KEYS[1], string.format('%.0f', untilMs), 'PX', ms)
  redis.call('ZADD', KEYS[2], untilMs, ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('PEXPIRE', KEYS[2], math.max(1, tonumber(top[2]) - now))
end
return 1
