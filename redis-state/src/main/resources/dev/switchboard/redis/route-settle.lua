-- Settles a batch of granted claims in one step: per settlement, corrects the pool (to the actual
-- usage, or keeps the reservation), records or releases each breaker permit (updating the index
-- of non-CLOSED breakers on a transition), then lowers the pool to the observed remaining counts
-- with the learned limits. Every key shares the routing hash tag.
-- KEYS: 1 the index of non-CLOSED routing breakers; then per settlement its pool and its breakers.
-- ARGV: 1 N settlements, 2 the tolerance added to observed token counts; then per settlement:
-- +0..2 limits, +3..5 reserved, +6 correct (0 keep the reservation, 1 correct to actual),
-- +7..9 actual, +10 observe (0/1), +11..13 remaining (-1 absent), +14..16 limits after learning,
-- +17 pool idle TTL ms, +18..25 breaker config (breaker-common.lua), +26 n breakers, then n times:
-- verdict (0 success, 1 failure, 2 release), probe (0/1), name. Last ARGV: the clock (clock.lua).
-- Returns, per settlement: t, then t times {breaker index, from, to, open left us}.
local function nums(at)
  return {tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])}
end

local count = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local at = 3
local key = 2
local out = {}
for _ = 1, count do
  local correct = ARGV[at + 6] == '1'
  local observe = ARGV[at + 10] == '1'
  if correct then
    -- corrected with the claim's limits, then observed with the learned ones
    local p = budget_load(KEYS[key], nums(at), NOW_US)
    budget_settle(p, nums(at + 3), nums(at + 7))
    if observe then
      budget_adopt(p, nums(at + 14))
      budget_lower(p, nums(at + 11), {0, tolerance, tolerance})
    end
    budget_save(p, tonumber(ARGV[at + 17]))
  elseif observe then
    local p = budget_load(KEYS[key], nums(at + 14), NOW_US)
    budget_lower(p, nums(at + 11), {0, tolerance, tolerance})
    budget_save(p, tonumber(ARGV[at + 17]))
  end
  key = key + 1
  local cfg = breaker_config(at + 18)
  local n = tonumber(ARGV[at + 26])
  at = at + 27
  local transitions = {}
  for i = 1, n do
    local verdict = ARGV[at]
    local probe = ARGV[at + 1] == '1'
    if verdict == '2' then
      if probe then
        breaker_release(breaker_load(KEYS[key], cfg, NOW_US), true)
      end
    else
      local b = breaker_load(KEYS[key], cfg, NOW_US)
      local after, before = breaker_record(b, probe, verdict == '1')
      if after ~= before then
        breaker_index(KEYS[1], ARGV[at + 2], b)
        transitions[#transitions + 1] = i
        transitions[#transitions + 1] = before
        transitions[#transitions + 1] = after
        transitions[#transitions + 1] = math.max(0, b.open_until - b.now)
      end
    end
    key = key + 1
    at = at + 3
  end
  out[#out + 1] = #transitions / 4
  for j = 1, #transitions do
    out[#out + 1] = transitions[j]
  end
end
return out
