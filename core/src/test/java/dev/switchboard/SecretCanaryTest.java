package dev.switchboard;

import static dev.switchboard.FakeTransport.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Fixtures.Events;
import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.TransportException;
import dev.switchboard.testkit.FakeTicker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** No key secret ever appears in an exception, a toString, an event or a log line. */
class SecretCanaryTest {
  private static final String CANARY = "sk-ant-api03-CANARY-7f3a9c1e5b";
  private static final String OTHER = "sk-ant-api03-OTHER-0c0ffee";

  @Test
  void secrets_neverLeakIntoExceptionsEventsSnapshotsOrLogs() {
    FakeTicker ticker = new FakeTicker();
    FakeScheduler scheduler = new FakeScheduler(ticker);
    FakeTransport transport = new FakeTransport();
    Events events = new Events();
    List<String> texts = new ArrayList<>();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream originalErr = System.err;
    System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    try {
      Switchboard router = Fixtures.builder(ticker, scheduler, transport, events)
          .key("canary", CANARY, "org-1").key("other", OTHER, "org-2")
          .model("claude-opus-4-6").fallbackTo("claude-sonnet-4-6").build();
      transport.then(error(429, "rate_limit_error", "over", null, Map.of("retry-after", "1")))
          .thenFail(TransportException.Kind.RESET)
          .then(error(500, "api_error", "Internal"))
          .then(error(401, "authentication_error", "invalid x-api-key"))
          .then(error(404, "not_found_error", "model: claude-sonnet-4-6"));
      CompletableFuture<RoutedResponse> f = router.sendAsync(Fixtures.request(10), CallOptions.DEFAULT);
      scheduler.runAll();
      try {
        texts.add(f.join().toString());
      } catch (RuntimeException e) {
        texts.add(e.toString());
        texts.add(String.valueOf(e.getCause()));
      }
      transport.then(error(429, "rate_limit_error", "usage limits", "enforced_spend_limit_reached", Map.of()));
      Throwable failure = null;
      try {
        router.send(Fixtures.request(10));
      } catch (SwitchboardException e) {
        failure = e;
      }
      assertThat(failure).isNotNull();
      texts.add(failure.toString());
      texts.add(failure.getMessage());
      texts.add(String.valueOf(((SwitchboardException) failure).attempts()));
      assertThatThrownBy(() -> router.send(Fixtures.request(10))).isInstanceOf(SwitchboardException.class)
          .satisfies(e -> texts.add(e.toString()));
      router.enableKey("canary");
      texts.add(router.snapshot().toString());
      texts.add(router.toString());
      for (RouterEvent e : events.all) {
        texts.add(e.toString());
      }
      router.close();
    } finally {
      System.setErr(originalErr);
    }
    String logged = log.toString(StandardCharsets.UTF_8);

    assertThat(logged).contains("disabled key 'canary'");
    assertThat(events.of(RouterEvent.KeyDisabled.class)).isNotEmpty();
    assertThat(texts).isNotEmpty().allSatisfy(t -> assertThat(t).doesNotContain(CANARY, OTHER));
    assertThat(logged).doesNotContain(CANARY, OTHER);
  }
}
