-- Returns the three levels refilled to now, as exact decimal strings. Writes only when the limits
-- in force changed (so later refills run at the adopted limits, as the local home does).
for i = 1, 3 do
  if limits[i] ~= old[i] then
    save()
    break
  end
end
return {string.format('%.17g', lv[1]), string.format('%.17g', lv[2]), string.format('%.17g', lv[3])}
