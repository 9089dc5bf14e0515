-- Takes ARGV[5..7] (requests, input, output) from all three buckets, or nothing.
-- KEYS[1]: the pool; ARGV[1..3]: limits; ARGV[4]: idle TTL ms; last ARGV: the clock (clock.lua).
-- Returns {1, 0, 0} when granted, {0, wait_ns, dimension 1..3} when refused
-- (wait_ns = -1: the demand exceeds the bucket's capacity and never fits).
local p = budget_load(KEYS[1], budget_args(1), NOW_US)
local ok, wait, dimension = budget_take(p, budget_args(5))
budget_save(p, tonumber(ARGV[4]))
if ok then
  return {1, 0, 0}
end
return {0, wait, dimension}
