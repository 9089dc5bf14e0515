-- Returns the three levels refilled to now, as exact decimal strings; writes nothing.
return {string.format('%.17g', lv[1]), string.format('%.17g', lv[2]), string.format('%.17g', lv[3])}
