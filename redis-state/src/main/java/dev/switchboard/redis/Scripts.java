package dev.switchboard.redis;

/**
 * Every script the Redis stores run, loaded once per JVM, each prefixed by {@code clock.lua} and
 * the libraries it uses ({@code budget-common.lua}, {@code breaker-common.lua}).
 */
final class Scripts {
  static final LuaScript BUDGET_ACQUIRE = LuaScript.load("budget-common.lua", "budget-acquire.lua");
  static final LuaScript BUDGET_SETTLE = LuaScript.load("budget-common.lua", "budget-settle.lua");
  static final LuaScript BUDGET_OBSERVE = LuaScript.load("budget-common.lua", "budget-observe.lua");
  static final LuaScript BUDGET_LEVELS = LuaScript.load("budget-common.lua", "budget-levels.lua");
  static final LuaScript COOL_DOWN = LuaScript.load("health-cooldown.lua");
  static final LuaScript COOLDOWNS = LuaScript.load("health-cooldowns.lua");
  static final LuaScript BREAKER = LuaScript.load("breaker-common.lua", "breaker.lua");
  static final LuaScript BREAKER_INDEX = LuaScript.load("breaker-index.lua");
  static final LuaScript COOLDOWN_REMAINING = LuaScript.load("health-remaining.lua");
  static final LuaScript CACHE_GET = LuaScript.load("cache-get.lua");
  static final LuaScript CACHE_PUT = LuaScript.load("cache-put.lua");
  static final LuaScript ROUTE_CLAIM = LuaScript.load("budget-common.lua", "breaker-common.lua", "route-claim.lua");
  static final LuaScript ROUTE_SETTLE = LuaScript.load("budget-common.lua", "breaker-common.lua", "route-settle.lua");
  static final LuaScript ROUTE_VIEW = LuaScript.load("route-view.lua");

  private Scripts() {}
}
