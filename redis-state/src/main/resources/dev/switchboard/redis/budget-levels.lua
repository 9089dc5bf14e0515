-- Returns the three levels refilled to now, as exact decimal strings. Writes only when the limits
-- in force changed (so later refills run at the adopted limits, as the local home does).
-- KEYS[1]: the pool; ARGV[1..3]: limits; ARGV[4]: idle TTL ms; last ARGV: the clock (clock.lua).
local p = budget_load(KEYS[1], budget_args(1), NOW_US)
if p.adopted then
  budget_save(p, tonumber(ARGV[4]))
end
return {string.format('%.17g', p.lv[1]), string.format('%.17g', p.lv[2]), string.format('%.17g', p.lv[3])}
