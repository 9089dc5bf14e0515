-- Lowers each bucket to the server's remaining count (ARGV[5..7], -1 = absent); never raises.
-- ARGV[8]: tolerance added to token counts, which the API rounds to thousands.
local tolerance = {0, tonumber(ARGV[8]), tonumber(ARGV[8])}
for i = 1, 3 do
  local remaining = tonumber(ARGV[4 + i])
  if remaining >= 0 and limits[i] > 0 then
    local ceiling = remaining + tolerance[i]
    if lv[i] > ceiling then
      lv[i] = ceiling
    end
  end
end
save()
return 1
