-- Corrects a grant of ARGV[5..7] (reserved) to ARGV[8..10] (actual).
-- KEYS[1]: the pool; ARGV[1..3]: limits; ARGV[4]: idle TTL ms; last ARGV: the clock (clock.lua).
local p = budget_load(KEYS[1], budget_args(1), NOW_US)
budget_settle(p, budget_args(5), budget_args(8))
budget_save(p, tonumber(ARGV[4]))
return 1
