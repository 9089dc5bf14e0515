package dev.switchboard.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.BreakerState;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class LoggingListenerTest {
  private static final String CANARY = "sk-ant-api03-CANARY_zz9Xq-42abc";

  private final RecordingSink sink = new RecordingSink(Level.TRACE);
  private final RouterListener listener = new LoggingListener(sink, Level.WARN, "test");

  @Test
  void fellBack_writesOneStructuredLineAtWarn() {
    listener.onEvent(new RouterEvent.FellBack(17, "claude-opus-4-6", "claude-sonnet-4-6",
        "model breaker open"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.WARN,
        "event=fallback call=17 from=claude-opus-4-6 to=claude-sonnet-4-6"
            + " reason=\"model breaker open\""));
  }

  @Test
  void fellBack_atConfiguredLevel() {
    RouterListener atInfo = new LoggingListener(sink, Level.INFO, "test");

    atInfo.onEvent(new RouterEvent.FellBack(1, "a", "b", "r"));

    assertThat(sink.only().level()).isEqualTo(Level.INFO);
  }

  @Test
  void cooledDown_writesScopeKeyModelDurationAtInfo() {
    listener.onEvent(new RouterEvent.CooledDown("pool:acme/opus", "prod-1", "claude-opus-4-6",
        Duration.ofMillis(30_250), "rate limited (cooldown from retry-after)"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.INFO,
        "event=cooldown scope=pool:acme/opus key=prod-1 model=claude-opus-4-6"
            + " duration_ms=30250.000 reason=\"rate limited (cooldown from retry-after)\""));
  }

  @Test
  void keyDisabled_writesAtErrorSoSomeoneIsPaged() {
    listener.onEvent(new RouterEvent.KeyDisabled("prod-2", "acme", Outcome.KEY_FAULT,
        "401 authentication_error"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.ERROR,
        "event=key_disabled key=prod-2 org=acme outcome=KEY_FAULT"
            + " reason=\"401 authentication_error\""));
  }

  @Test
  void keyEnabled_writesAtInfo() {
    listener.onEvent(new RouterEvent.KeyEnabled("prod-2"));

    assertThat(sink.only()).isEqualTo(
        new RecordingSink.Entry(Level.INFO, "event=key_enabled key=prod-2"));
  }

  @Test
  void modelDisabled_writesAtWarn() {
    listener.onEvent(new RouterEvent.ModelDisabled("prod-1", "claude-x", "404 not_found_error"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.WARN,
        "event=model_disabled key=prod-1 model=claude-x reason=\"404 not_found_error\""));
  }

  @Test
  void breakerStateChanged_warnsWhenOpeningAndInformsOtherwise() {
    listener.onEvent(new RouterEvent.BreakerStateChanged("model:claude-opus-4-6",
        BreakerState.CLOSED, BreakerState.OPEN));
    listener.onEvent(new RouterEvent.BreakerStateChanged("model:claude-opus-4-6",
        BreakerState.OPEN, BreakerState.HALF_OPEN));
    listener.onEvent(new RouterEvent.BreakerStateChanged("model:claude-opus-4-6",
        BreakerState.HALF_OPEN, BreakerState.CLOSED));

    assertThat(sink.entries).containsExactly(
        new RecordingSink.Entry(Level.WARN,
            "event=breaker breaker=model:claude-opus-4-6 from=CLOSED to=OPEN"),
        new RecordingSink.Entry(Level.INFO,
            "event=breaker breaker=model:claude-opus-4-6 from=OPEN to=HALF_OPEN"),
        new RecordingSink.Entry(Level.INFO,
            "event=breaker breaker=model:claude-opus-4-6 from=HALF_OPEN to=CLOSED"));
  }

  @Test
  void retryBudgetExhausted_writesAtWarn() {
    listener.onEvent(new RouterEvent.RetryBudgetExhausted(9, "529 overloaded_error"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.WARN,
        "event=retry_budget_exhausted call=9 reason=\"529 overloaded_error\""));
  }

  @Test
  void budgetWaited_writesAtDebugInMilliseconds() {
    listener.onEvent(new RouterEvent.BudgetWaited(3, "claude-sonnet-4-6", 1_234_567L));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.DEBUG,
        "event=budget_wait call=3 model=claude-sonnet-4-6 wait_ms=1.234"));
  }

  @Test
  void attemptFinished_nonSuccess_writesAtDebug() {
    listener.onEvent(new RouterEvent.AttemptFinished(5, 2, "prod-1", "claude-opus-4-6",
        Outcome.RATE_LIMITED, 429, 80_000_000L, "429 rate_limit_error"));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.DEBUG,
        "event=attempt call=5 attempt=2 key=prod-1 model=claude-opus-4-6 outcome=RATE_LIMITED"
            + " status=429 latency_ms=80.000 reason=\"429 rate_limit_error\""));
  }

  @Test
  void attemptFinished_success_writesNothing() {
    listener.onEvent(new RouterEvent.AttemptFinished(5, 1, "prod-1", "claude-opus-4-6",
        Outcome.SUCCESS, 200, 80_000_000L, "ok"));
    listener.onEvent(new RouterEvent.AttemptStarted(5, 1, "prod-1", "acme", "claude-opus-4-6",
        "u1"));

    assertThat(sink.entries).isEmpty();
  }

  @Test
  void callFinished_writesEveryFieldAtDebug() {
    listener.onEvent(new RouterEvent.CallFinished(11, "tenant-a:user@example.com",
        "claude-sonnet-4-6", "prod-3", true, Outcome.SUCCESS, 3, 2_500_000_001L, true, false,
        false));

    assertThat(sink.only()).isEqualTo(new RecordingSink.Entry(Level.DEBUG,
        "event=call call=11 user=tenant-a:user@example.com model=claude-sonnet-4-6 key=prod-3"
            + " success=true outcome=SUCCESS attempts=3 latency_ms=2500.000 fallback=true"
            + " cached=false degraded=false"));
  }

  @Test
  void callFinished_nullsAreWrittenAsDash() {
    listener.onEvent(new RouterEvent.CallFinished(12, null, "m", null, false, null, 0, 0L,
        false, false, false));

    assertThat(sink.only().line()).isEqualTo("event=call call=12 user=- model=m key=- success=false"
        + " outcome=- attempts=0 latency_ms=0.000 fallback=false cached=false degraded=false");
  }

  @Test
  void disabledLevel_buildsAndWritesNothing() {
    RecordingSink infoSink = new RecordingSink(Level.INFO);
    RouterListener quiet = new LoggingListener(infoSink, Level.WARN, "test");

    quiet.onEvent(new RouterEvent.BudgetWaited(3, "m", 1));
    quiet.onEvent(new RouterEvent.CallFinished(12, "u", "m", "k", true, Outcome.SUCCESS, 1, 1L,
        false, false, false));
    quiet.onEvent(new RouterEvent.KeyEnabled("k"));

    assertThat(infoSink.entries).extracting(RecordingSink.Entry::line)
        .containsExactly("event=key_enabled key=k");
    assertThat(infoSink.enabledChecks).isEqualTo(3);
  }

  @Test
  void values_withQuotesBackslashesAndLineBreaks_stayOnOneLine() {
    listener.onEvent(new RouterEvent.RetryBudgetExhausted(1,
        "say \"hi\"\\ then\nevent=key_disabled key=forged\r\tend\u2028x\u0000y\u202Ez"));

    String line = sink.only().line();
    assertThat(line).isEqualTo("event=retry_budget_exhausted call=1"
        + " reason=\"say \\\"hi\\\"\\\\ then\\n"
        + "event=key_disabled key=forged\\r\\tend\\u2028x\\u0000y\\u202ez\"");
    assertThat(line).doesNotContain("\n", "\r", "\u2028", "\u0000");
  }

  @Test
  void values_emptyOrDashOrWithSpaces_areQuoted() {
    listener.onEvent(new RouterEvent.ModelDisabled("", "-", "a=b c"));

    assertThat(sink.only().line())
        .isEqualTo("event=model_disabled key=\"\" model=\"-\" reason=\"a=b c\"");
  }

  @Test
  void secretCanary_isMaskedInEveryStringField() {
    listener.onEvent(new RouterEvent.KeyDisabled(CANARY, "org " + CANARY, Outcome.KEY_FAULT,
        "401: invalid x-api-key " + CANARY + ", also SK-ANT-admin01-ABC."));
    listener.onEvent(new RouterEvent.FellBack(1, CANARY, "m", "key=" + CANARY));
    listener.onEvent(new RouterEvent.CooledDown(CANARY, CANARY, CANARY, Duration.ZERO, CANARY));
    listener.onEvent(new RouterEvent.CallFinished(1, CANARY, CANARY, CANARY, false,
        Outcome.KEY_FAULT, 1, 1, false, false, false));

    List<String> lines = sink.entries.stream().map(RecordingSink.Entry::line).toList();
    assertThat(lines).hasSize(4).noneMatch(l -> l.contains("CANARY") || l.contains("ABC"));
    assertThat(lines.get(0)).isEqualTo("event=key_disabled key=\"sk-ant-***\""
        + " org=\"org sk-ant-***\" outcome=KEY_FAULT"
        + " reason=\"401: invalid x-api-key sk-ant-***, also sk-ant-***.\"");
  }

  @Test
  void millis_formatsSubMillisecondAndNegativeValues() {
    StringBuilder sb = new StringBuilder();
    LogLine.appendMillis(sb, 1_005L);
    sb.append(' ');
    LogLine.appendMillis(sb, -2_050_000L);
    sb.append(' ');
    LogLine.appendMillis(sb, Long.MIN_VALUE);

    assertThat(sb).hasToString("0.001 -2.050 -9223372036854.775");
  }

  @Test
  void cooledDown_absurdDuration_doesNotThrow() {
    listener.onEvent(new RouterEvent.CooledDown("s", "k", "m", Duration.ofSeconds(Long.MAX_VALUE),
        null));

    assertThat(sink.only().line()).isEqualTo(
        "event=cooldown scope=s key=k model=m duration_ms=9223372036854.775 reason=-");
  }

  @Test
  void builder_blankLoggerName_failsNamingTheValue() {
    assertThatThrownBy(() -> LoggingListener.builder().loggerName("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loggerName must not be blank but was '  '");
  }

  @Test
  void builder_debugFallbackLevel_failsNamingTheValue() {
    assertThatThrownBy(() -> LoggingListener.builder().fallbackLevel(Level.DEBUG))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fallbackLevel must be INFO, WARN or ERROR but was DEBUG");
  }

  @Test
  void create_writesThroughSlf4jToTheRouterLogger() {
    LoggingListener created = LoggingListener.create();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      created.onEvent(new RouterEvent.KeyDisabled("slf4j-probe", "acme", Outcome.KEY_FAULT,
          "{} " + CANARY));
      created.onEvent(new RouterEvent.CallFinished(424242, "u", "m", "slf4j-probe", true,
          Outcome.SUCCESS, 1, 1, false, false, false));
    } finally {
      System.setErr(originalErr);
    }

    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("ERROR " + LoggingListener.DEFAULT_LOGGER_NAME
        + " - event=key_disabled key=slf4j-probe org=acme outcome=KEY_FAULT"
        + " reason=\"{} sk-ant-***\"");
    assertThat(out).doesNotContain("CANARY").doesNotContain("call=424242");
    assertThat(created).hasToString(
        "LoggingListener[logger=dev.switchboard.router, fallbackLevel=WARN]");
  }
}
