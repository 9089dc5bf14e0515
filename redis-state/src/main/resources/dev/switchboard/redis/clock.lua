-- Shared prelude of every script: NOW_US, the current time in microseconds.
-- The last ARGV is the time source: '' means the Redis server's clock (TIME), the one every
-- router of a fleet shares; a number is a time given by the caller, which only tests do
-- (RedisStateStore.Builder#scriptTicker) so that one fake ticker drives Redis state.
local NOW_ARG = ARGV[#ARGV]
local NOW_US
if NOW_ARG ~= nil and NOW_ARG ~= '' then
  NOW_US = tonumber(NOW_ARG)
else
  local clock = redis.call('TIME')
  NOW_US = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
end
local NOW_MS = math.floor(NOW_US / 1000)
