-- Returns {value, remaining ms} of a cached response, or nil. KEYS[1]: the entry.
local v = redis.call('GET', KEYS[1])
if not v then
  return nil
end
return {v, redis.call('PTTL', KEYS[1])}
