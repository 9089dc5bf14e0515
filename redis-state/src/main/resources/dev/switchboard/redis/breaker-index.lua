-- The index of breakers that are not CLOSED: a zset name -> open-until (ms, server time).
-- KEYS[1]: the index. ARGV[1]: 'set' | 'del' | 'list'; ARGV[2]: idle TTL ms;
-- ARGV[3]: name ('set', 'del'); ARGV[4]: open-until ms ('set'); last ARGV: the clock (clock.lua).
-- 'list' returns {now ms, name, open-until, ...}, dropping entries idle longer than the TTL.
local now = NOW_MS
local idle = tonumber(ARGV[2])
local op = ARGV[1]
if op == 'set' then
  local untilMs = tonumber(ARGV[4])
  redis.call('ZADD', KEYS[1], untilMs, ARGV[3])
  local keep = math.max(1, untilMs - now) + idle
  if redis.call('PTTL', KEYS[1]) < keep then
    redis.call('PEXPIRE', KEYS[1], keep)
  end
  return 1
elseif op == 'del' then
  return redis.call('ZREM', KEYS[1], ARGV[3])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - idle)
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {now}
for i = 1, #all, 2 do
  out[#out + 1] = all[i]
  out[#out + 1] = tonumber(all[i + 1])
end
return out
