-- Returns {scope, remaining ms, ...} of every scope still cooling down; drops expired ones.
-- KEYS[1]: the index zset.
local now = NOW_MS
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local all = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
local out = {}
for i = 1, #all, 2 do
  out[#out + 1] = all[i]
  out[#out + 1] = tonumber(all[i + 1]) - now
end
return out
