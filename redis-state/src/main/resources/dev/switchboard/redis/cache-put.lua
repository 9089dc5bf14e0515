-- Stores a response as "<ttl ms> <stale ms> <stored at ms>\n<json>", expiring after ttl + stale.
-- KEYS[1]: the entry; ARGV[1]: ttl ms; ARGV[2]: stale ms; ARGV[3]: the response's JSON;
-- ARGV[4]: the clock (clock.lua).
local ttl = tonumber(ARGV[1])
local stale = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. string.format('%.0f', NOW_MS) .. '\n' .. ARGV[3],
  'PX', ttl + stale)
return 1
