package dev.switchboard.examples.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.AttemptRecord;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.TransportException;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.testkit.RecordedCall;
import dev.switchboard.testkit.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StreamingExampleTest {

  @Test
  @Timeout(60)
  void run_streamsFourAnswers_failingOverInvisiblyAndContinuingABrokenOne() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Simulator sim = StreamingExample.simulator()) {
      List<StreamingExample.Scene> scenes =
          StreamingExample.run(sim, new PrintStream(bytes, true, StandardCharsets.UTF_8));
      String out = bytes.toString(StandardCharsets.UTF_8);
      String[] parts = out.split("\n(?=\\d\\. )");
      assertThat(scenes).hasSize(4);
      assertThat(parts).hasSize(5); // the header, then one part per scene

      // 1. clean: one attempt, the printed pieces are the whole answer
      StreamingExample.Scene clean = scenes.get(0);
      assertThat(clean.response().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(Outcome.SUCCESS);
      assertThat(clean.handler().deltas.get()).isGreaterThanOrEqualTo(10);
      assertThat(printedAnswer(parts[1])).isEqualTo(clean.response().response().text());
      assertThat(parts[1]).contains("first token after ").doesNotContain("[router]");

      // 2. overloaded before content: retried elsewhere, the handler saw one clean stream
      StreamingExample.Scene failover = scenes.get(1);
      assertThat(failover.response().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(Outcome.SERVER_ERROR, Outcome.SUCCESS);
      assertThat(failover.response().continued()).isFalse();
      assertThat(failover.handler().starts.get()).isEqualTo(1);
      assertThat(failover.handler().stops.get()).isEqualTo(1);
      assertThat(printedAnswer(parts[2])).isEqualTo(failover.response().response().text());
      assertThat(parts[2]).contains("[router] attempt 1 on ", "failed: SERVER_ERROR 529")
          .contains("the handler saw 1 message_start, 1 message_stop");
      // the note came before any token: the failed attempt never reached the caller
      assertThat(parts[2].indexOf("[router]")).isLessThan(parts[2].indexOf("   > "));

      // 3. dropped mid-answer: continued on another route, one answer in one stream
      StreamingExample.Scene continued = scenes.get(2);
      assertThat(continued.response().continued()).isTrue();
      assertThat(continued.response().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(Outcome.NETWORK, Outcome.SUCCESS);
      assertThat(continued.response().attempts().get(0).keyAlias())
          .isNotEqualTo(continued.response().attempts().get(1).keyAlias());
      assertThat(continued.handler().starts.get()).isEqualTo(1);
      assertThat(continued.handler().stops.get()).isEqualTo(1);
      assertThat(continued.handler().deltas.get())
          .isGreaterThan(StreamingExample.DROP_AFTER_DELTAS);
      assertThat(printedAnswer(parts[3])).isEqualTo(continued.response().response().text());
      // tokens, then the router's note mid-answer, then the rest of the answer
      int note = parts[3].indexOf("[router] attempt 1 on ");
      assertThat(parts[3].indexOf("   > ")).isPositive().isLessThan(note);
      assertThat(parts[3].indexOf("   > ", note)).isGreaterThan(note);
      assertThat(parts[3]).contains("failed: NETWORK", "continued: true");

      // 4. the same drop without continuation: a typed interruption with the partial answer
      StreamingExample.Scene interrupted = scenes.get(3);
      assertThat(interrupted.response()).isNull();
      assertThat(interrupted.error()).isInstanceOf(StreamInterruptedException.class);
      StreamInterruptedException si = (StreamInterruptedException) interrupted.error();
      assertThat(si.contentDelivered()).isTrue();
      assertThat(si.getCause()).isInstanceOf(TransportException.class);
      assertThat(si.partial().orElseThrow().text()).isEqualTo(printedAnswer(parts[4]))
          .isNotEmpty();
      assertThat(interrupted.handler().deltas.get())
          .isEqualTo(StreamingExample.DROP_AFTER_DELTAS);
      assertThat(interrupted.handler().stops.get()).isZero();
      assertThat(parts[4]).contains("ended with StreamInterruptedException: stream interrupted "
          + "after content", "content delivered: true");

      // the wire: six streamed calls, the continuation carrying the partial answer as a prefill
      List<RecordedCall> calls = sim.calls();
      assertThat(calls).hasSize(6).allSatisfy(c -> assertThat(c.stream()).isTrue());
      assertThat(calls.get(4).body()).contains("\"assistant\"")
          .contains(continued.response().response().text().substring(0, 10));
      for (String[] key : StreamingExample.KEYS) {
        assertThat(out).doesNotContain(key[1]);
      }
    }
  }

  /** Returns the text printed on the {@code "   > "} lines of one scene, joined. */
  private static String printedAnswer(String scene) {
    return Arrays.stream(scene.split("\n")).filter(l -> l.startsWith("   > "))
        .map(l -> l.substring("   > ".length())).collect(Collectors.joining());
  }
}
