package dev.switchboard.logging;

import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A {@link RouterListener} that writes one structured line per router decision to SLF4J.
 *
 * <p>Every line goes to one logger, {@value #DEFAULT_LOGGER_NAME} unless {@link
 * Builder#loggerName(String)} says otherwise, and reads {@code event=<name>} followed by
 * {@code key=value} pairs in a fixed order, for example:
 *
 * <pre>{@code
 * event=fallback call=17 from=claude-opus-4-6 to=claude-sonnet-4-6 reason="model breaker open"
 * }</pre>
 *
 * <table>
 *   <caption>Events, levels and fields</caption>
 *   <tr><th>event</th><th>level</th><th>fields after {@code event}</th></tr>
 *   <tr><td>{@code fallback}</td><td>WARN (see {@link Builder#fallbackLevel(Level)})</td>
 *       <td>{@code call from to reason}</td></tr>
 *   <tr><td>{@code cooldown}</td><td>INFO</td>
 *       <td>{@code scope key model duration_ms reason}</td></tr>
 *   <tr><td>{@code key_disabled}</td><td><b>ERROR</b>: page someone</td>
 *       <td>{@code key org outcome reason}</td></tr>
 *   <tr><td>{@code key_enabled}</td><td>INFO</td><td>{@code key}</td></tr>
 *   <tr><td>{@code model_disabled}</td><td>WARN</td><td>{@code key model reason}</td></tr>
 *   <tr><td>{@code breaker}</td><td>WARN when it opens, INFO otherwise</td>
 *       <td>{@code breaker from to}</td></tr>
 *   <tr><td>{@code retry_budget_exhausted}</td><td>WARN</td><td>{@code call reason}</td></tr>
 *   <tr><td>{@code budget_wait}</td><td>DEBUG</td><td>{@code call model wait_ms}</td></tr>
 *   <tr><td>{@code attempt}</td><td>DEBUG, only when the outcome is not SUCCESS</td>
 *       <td>{@code call attempt key model outcome status latency_ms reason}</td></tr>
 *   <tr><td>{@code call}</td><td>DEBUG</td>
 *       <td>{@code call user model key success outcome attempts latency_ms fallback cached
 *       degraded}</td></tr>
 * </table>
 *
 * <p>{@code AttemptStarted} is not logged. Times ({@code *_ms}) are milliseconds with three
 * decimals. A value made only of letters, digits and {@code . _ : / @ + -} is written bare; any
 * other is double-quoted with quotes, backslashes, line breaks and other control characters
 * escaped, so one event is always exactly one line; a missing (null) value is written {@code -}.
 * Events name keys by alias only, but as a second line of defence every {@code sk-ant-} token
 * appearing in any value (a reason quoting a provider's message, a mistaken alias) is replaced by
 * {@code sk-ant-***}. User ids are written as the router got them: give the router pseudonymous
 * ids if logs must hold no personal data. No MDC is used. A line whose level is disabled is never
 * built.
 *
 * <p>Thread-safe and allocation-light; it never blocks beyond what the SLF4J backend does.
 */
public final class LoggingListener implements RouterListener {
  /** The logger every line goes to by default. */
  public static final String DEFAULT_LOGGER_NAME = "dev.switchboard.router";

  private final Sink sink;
  private final Level fallbackLevel;
  private final String name;

  LoggingListener(Sink sink, Level fallbackLevel, String name) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.fallbackLevel = Objects.requireNonNull(fallbackLevel, "fallbackLevel");
    this.name = name;
  }

  /**
   * Returns a listener logging to {@value #DEFAULT_LOGGER_NAME}, with fallbacks at WARN.
   */
  public static LoggingListener create() {
    return builder().build();
  }

  /** Returns a builder with the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Writes {@code event=fallback} at the configured fallback level (WARN by default). */
  @Override
  public void fellBack(RouterEvent.FellBack e) {
    if (sink.isEnabled(fallbackLevel)) {
      sink.write(fallbackLevel, LogLine.event("fallback").add("call", e.callId())
          .add("from", e.fromModel()).add("to", e.toModel()).add("reason", e.reason()).toString());
    }
  }

  /** Writes {@code event=cooldown} at INFO. */
  @Override
  public void cooledDown(RouterEvent.CooledDown e) {
    if (sink.isEnabled(Level.INFO)) {
      sink.write(Level.INFO, LogLine.event("cooldown").add("scope", e.scope())
          .add("key", e.keyAlias()).add("model", e.model()).millis("duration_ms", e.duration())
          .add("reason", e.reason()).toString());
    }
  }

  /** Writes {@code event=key_disabled} at ERROR: a disabled key must page someone. */
  @Override
  public void keyDisabled(RouterEvent.KeyDisabled e) {
    if (sink.isEnabled(Level.ERROR)) {
      sink.write(Level.ERROR, LogLine.event("key_disabled").add("key", e.keyAlias())
          .add("org", e.organization()).add("outcome", e.outcome()).add("reason", e.reason())
          .toString());
    }
  }

  /** Writes {@code event=key_enabled} at INFO. */
  @Override
  public void keyEnabled(RouterEvent.KeyEnabled e) {
    if (sink.isEnabled(Level.INFO)) {
      sink.write(Level.INFO, LogLine.event("key_enabled").add("key", e.keyAlias()).toString());
    }
  }

  /** Writes {@code event=model_disabled} at WARN. */
  @Override
  public void modelDisabled(RouterEvent.ModelDisabled e) {
    if (sink.isEnabled(Level.WARN)) {
      sink.write(Level.WARN, LogLine.event("model_disabled").add("key", e.keyAlias())
          .add("model", e.model()).add("reason", e.reason()).toString());
    }
  }

  /** Writes {@code event=breaker} at WARN when the breaker opens, at INFO otherwise. */
  @Override
  public void breakerStateChanged(RouterEvent.BreakerStateChanged e) {
    Level level = e.to() == BreakerState.OPEN ? Level.WARN : Level.INFO;
    if (sink.isEnabled(level)) {
      sink.write(level, LogLine.event("breaker").add("breaker", e.breaker()).add("from", e.from())
          .add("to", e.to()).toString());
    }
  }

  /** Writes {@code event=retry_budget_exhausted} at WARN. */
  @Override
  public void retryBudgetExhausted(RouterEvent.RetryBudgetExhausted e) {
    if (sink.isEnabled(Level.WARN)) {
      sink.write(Level.WARN, LogLine.event("retry_budget_exhausted").add("call", e.callId())
          .add("reason", e.reason()).toString());
    }
  }

  /** Writes {@code event=budget_wait} at DEBUG. */
  @Override
  public void budgetWaited(RouterEvent.BudgetWaited e) {
    if (sink.isEnabled(Level.DEBUG)) {
      sink.write(Level.DEBUG, LogLine.event("budget_wait").add("call", e.callId())
          .add("model", e.model()).millis("wait_ms", e.waitNanos()).toString());
    }
  }

  /** Writes {@code event=attempt} at DEBUG for an attempt that did not succeed. */
  @Override
  public void attemptFinished(RouterEvent.AttemptFinished e) {
    if (e.outcome() != Outcome.SUCCESS && sink.isEnabled(Level.DEBUG)) {
      sink.write(Level.DEBUG, LogLine.event("attempt").add("call", e.callId())
          .add("attempt", e.attempt()).add("key", e.keyAlias()).add("model", e.model())
          .add("outcome", e.outcome()).add("status", e.status())
          .millis("latency_ms", e.latencyNanos()).add("reason", e.reason()).toString());
    }
  }

  /** Writes {@code event=call} at DEBUG. */
  @Override
  public void callFinished(RouterEvent.CallFinished e) {
    if (sink.isEnabled(Level.DEBUG)) {
      sink.write(Level.DEBUG, LogLine.event("call").add("call", e.callId()).add("user", e.userId())
          .add("model", e.model()).add("key", e.keyAlias()).add("success", e.success())
          .add("outcome", e.outcome()).add("attempts", e.attempts())
          .millis("latency_ms", e.latencyNanos()).add("fallback", e.fallback())
          .add("cached", e.cached()).add("degraded", e.degraded()).toString());
    }
  }

  /** Returns {@code LoggingListener[logger=<name>, fallbackLevel=<level>]}. */
  @Override
  public String toString() {
    return "LoggingListener[logger=" + name + ", fallbackLevel=" + fallbackLevel + "]";
  }

  /**
   * Configures a {@link LoggingListener}. Setters validate at once; {@link #build()} may be called
   * repeatedly and never changes the builder. Not thread-safe.
   */
  public static final class Builder {
    private String loggerName = DEFAULT_LOGGER_NAME;
    private Level fallbackLevel = Level.WARN;

    private Builder() {}

    /**
     * Sets the SLF4J logger every line goes to; defaults to
     * {@value LoggingListener#DEFAULT_LOGGER_NAME}.
     *
     * @throws NullPointerException if {@code loggerName} is null
     * @throws IllegalArgumentException if {@code loggerName} is blank
     */
    public Builder loggerName(String loggerName) {
      Objects.requireNonNull(loggerName, "loggerName");
      if (loggerName.isBlank()) {
        throw new IllegalArgumentException(
            "loggerName must not be blank but was '" + loggerName + "'");
      }
      this.loggerName = loggerName;
      return this;
    }

    /**
     * Sets the level of {@code fallback} lines; defaults to WARN (a caller got another model than
     * it asked for). INFO suits deployments where falling back is routine.
     *
     * @throws NullPointerException if {@code level} is null
     * @throws IllegalArgumentException if {@code level} is TRACE or DEBUG, which would hide a
     *     fallback from a default production configuration
     */
    public Builder fallbackLevel(Level level) {
      Objects.requireNonNull(level, "fallbackLevel");
      if (level == Level.TRACE || level == Level.DEBUG) {
        throw new IllegalArgumentException(
            "fallbackLevel must be INFO, WARN or ERROR but was " + level);
      }
      this.fallbackLevel = level;
      return this;
    }

    /** Returns a listener with this builder's settings. */
    public LoggingListener build() {
      return new LoggingListener(new Slf4jSink(LoggerFactory.getLogger(loggerName)), fallbackLevel,
          loggerName);
    }
  }
}
