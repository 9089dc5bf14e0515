-- Returns the ms a scope stays cooled down (0 when it is not). KEYS[1]: the scope's cooldown key
-- (its value is the end of the cooldown in ms); ARGV[1]: the clock (clock.lua).
local v = redis.call('GET', KEYS[1])
if not v then
  return 0
end
local left = (tonumber(v) or 0) - NOW_MS
if left < 0 then
  return 0
end
return left
