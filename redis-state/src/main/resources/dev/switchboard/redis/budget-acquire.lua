-- Takes ARGV[5..7] (requests, input, output) from all three buckets, or nothing.
-- Returns {1, 0, 0} when granted, {0, wait_ns, dimension 1..3} when refused
-- (wait_ns = -1: the demand exceeds the bucket's capacity and never fits).
local demand = {tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])}
local wait, slowest = 0, 0
for i = 1, 3 do
  local limit = limits[i]
  if limit > 0 then
    if demand[i] > limit then
      save()
      return {0, -1, i}
    end
    local deficit = demand[i] - lv[i]
    if deficit > limit * 1e-9 then
      local w = math.max(1, math.ceil(deficit * 60000000000 / limit))
      if slowest == 0 or w > wait then
        wait = w
        slowest = i
      end
    end
  end
end
if slowest > 0 then
  save()
  return {0, wait, slowest}
end
for i = 1, 3 do
  if limits[i] > 0 then
    lv[i] = lv[i] - demand[i]
  end
end
save()
return {1, 0, 0}
