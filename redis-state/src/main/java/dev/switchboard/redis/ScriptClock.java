package dev.switchboard.redis;

import dev.switchboard.spi.Ticker;

/**
 * Where the Lua scripts read "now": the Redis server's clock ({@code TIME}, {@link #SERVER}),
 * which every router of a fleet shares, or — in tests only — a {@link Ticker} read on the caller's
 * side and sent as the script's last argument, so that one fake ticker drives shared state and the
 * whole state-store contract runs against Redis. Every script ends its arguments with
 * {@link #argument()} (see {@code clock.lua}). Immutable and thread-safe.
 */
final class ScriptClock {
  /** The Redis server's clock: the production time source. */
  static final ScriptClock SERVER = new ScriptClock(null);

  private final Ticker ticker;

  private ScriptClock(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * Returns a clock that reads {@code ticker} (nanoseconds, sent to Redis as microseconds). Only
   * for tests: routers sharing Redis must use {@link #SERVER}, or their JVM clocks would disagree.
   */
  static ScriptClock ticker(Ticker ticker) {
    return new ScriptClock(ticker);
  }

  /** Returns the ticker the scripts read, or null when they read the server's clock. */
  Ticker ticker() {
    return ticker;
  }

  /** Returns the scripts' last argument: {@code ""} for server time, else microseconds. */
  String argument() {
    return ticker == null ? "" : Long.toString(Math.floorDiv(ticker.read(), 1000L));
  }

  @Override
  public String toString() {
    return ticker == null ? "ScriptClock[redis TIME]" : "ScriptClock[ticker, tests only]";
  }
}
