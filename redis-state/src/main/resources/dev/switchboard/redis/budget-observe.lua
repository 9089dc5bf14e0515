-- Lowers each bucket to the server's remaining count (ARGV[5..7], -1 = absent); never raises.
-- KEYS[1]: the pool; ARGV[1..3]: limits; ARGV[4]: idle TTL ms; ARGV[8]: tolerance added to token
-- counts, which the API rounds to thousands; last ARGV: the clock (clock.lua).
local p = budget_load(KEYS[1], budget_args(1), NOW_US)
local tolerance = tonumber(ARGV[8])
budget_lower(p, budget_args(5), {0, tolerance, tolerance})
budget_save(p, tonumber(ARGV[4]))
return 1
