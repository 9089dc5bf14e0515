-- Corrects a grant of ARGV[5..7] (reserved) to ARGV[8..10] (actual): refunds up to the limit,
-- or takes the excess, which may leave a bucket negative (debt, repaid by refill).
for i = 1, 3 do
  if limits[i] > 0 then
    local delta = tonumber(ARGV[4 + i]) - tonumber(ARGV[7 + i])
    lv[i] = math.min(limits[i], lv[i] + delta)
  end
end
save()
return 1
