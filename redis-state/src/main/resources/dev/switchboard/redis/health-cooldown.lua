-- Cools a scope down; never shortens a longer cooldown.
-- KEYS[1]: the scope's cooldown key (expires with PX); KEYS[2]: the index zset (scope -> until ms).
-- ARGV[1]: duration ms; ARGV[2]: scope. Both keys share the {health} hash tag.
local ms = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
if redis.call('PTTL', KEYS[1]) < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
  redis.call('ZADD', KEYS[2], now + ms, ARGV[2])
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local top = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
if top[2] then
  redis.call('PEXPIRE', KEYS[2], math.max(1, tonumber(top[2]) - now))
end
return 1
