-- Returns {value, now ms} of a cached response, or nil. KEYS[1]: the entry;
-- ARGV[1]: the clock (clock.lua). Freshness is judged by the caller from the value's header.
local v = redis.call('GET', KEYS[1])
if not v then
  return nil
end
return {v, NOW_MS}
