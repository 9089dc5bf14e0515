package dev.switchboard.examples.streaming;

import dev.switchboard.AttemptRecord;
import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Outcome;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.stream.StreamInterruptedException;
import dev.switchboard.stream.StreamStats;
import dev.switchboard.stream.StreamTimeouts;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Simulator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Streams four answers through one router against the embedded API simulator and prints every
 * token as it arrives:
 *
 * <ol>
 *   <li>a clean stream, with its time to first token and output rate;
 *   <li>a stream whose first attempt fails before its first token (the API sends an {@code
 *       overloaded_error} event right after {@code message_start}): the router retries on another
 *       route and the caller's handler sees one clean stream, never the failed attempt;
 *   <li>a stream whose connection drops mid-answer: with {@link
 *       Switchboard.Builder#continueInterruptedStreams(boolean) continueInterruptedStreams} on, the
 *       router sends the partial answer to another route as an assistant prefill and the rest of
 *       the answer continues the same stream ({@link RoutedResponse#continued()});
 *   <li>the same drop with continuation turned off for that call ({@link
 *       CallOptions#continueInterrupted(boolean)}): the stream ends with a {@link
 *       StreamInterruptedException} carrying the partial answer.
 * </ol>
 *
 * <p>Lines starting {@code [router]} come from a {@link RouterListener}: they show what the
 * caller's handler does not see. Run it with:
 *
 * <pre>
 * mvn -q -ntp -DskipTests -pl examples -am package exec:java \
 *     -Dexec.mainClass=dev.switchboard.examples.streaming.StreamingExample
 * </pre>
 */
public final class StreamingExample {
  static final String OPUS = "claude-opus-4-6";
  static final String SONNET = "claude-sonnet-4-6";
  /** The simulated keys: alias, secret, organization. */
  static final String[][] KEYS = {
      {"key-a", "sk-ant-example-streaming-a-51f0", "org-1"},
      {"key-b", "sk-ant-example-streaming-b-7c2d", "org-2"}};
  /** After how many text deltas the connection drops in scenes 3 and 4. */
  static final int DROP_AFTER_DELTAS = 4;
  private static final long WAIT_SECONDS = 30;

  private StreamingExample() {}

  /** What one scene did: the caller's handler, and the routed response or the error. */
  record Scene(String title, PrintingHandler handler, RoutedResponse response, Throwable error) {}

  /** Runs the example against a fresh simulator. */
  public static void main(String[] args) {
    try (Simulator sim = simulator()) {
      run(sim, System.out);
    }
  }

  /**
   * Returns a simulator with the example's keys and models, whose answers stream at a readable
   * pace: 10–15 text deltas of three words, 150 ms to the first, 40 ms between them.
   */
  static Simulator simulator() {
    Simulator.Builder b = Simulator.builder()
        .model(OPUS, "opus-4", 200_000)
        .model(SONNET, "sonnet-4", 1_000_000)
        .defaultLimits(1_000, 1_000_000, 200_000)
        .responseTokens(30, 45)
        .timeToFirstToken(Duration.ofMillis(150))
        .interEventDelay(Duration.ofMillis(40));
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.start();
  }

  /**
   * Returns the example's router against {@code sim}: both keys, Opus then Sonnet, interrupted
   * answers continued on another route, a first token expected within 10 s and no gap longer
   * than 5 s, and a listener that writes the router's decisions to {@code console}.
   */
  static Switchboard router(Simulator sim, Console console) {
    Switchboard.Builder b = Switchboard.builder().baseUrl(sim.baseUrl().toString());
    for (String[] k : KEYS) {
      b.key(k[0], k[1], k[2]);
    }
    return b.model(OPUS).fallbackTo(SONNET)
        .strategy("round-robin")
        .continueInterruptedStreams(true)
        .streamTimeouts(StreamTimeouts.DEFAULT.withFirstToken(Duration.ofSeconds(10))
            .withIdle(Duration.ofSeconds(5)))
        .deadline(Duration.ofSeconds(30))
        .listener(new Notes(console))
        .build();
  }

  /** Plays the four scenes against {@code sim}, writing to {@code out}; returns what they did. */
  static List<Scene> run(Simulator sim, PrintStream out) {
    Console console = new Console(out);
    console.line("Streaming through Switchboard against the embedded API simulator: keys "
        + Arrays.stream(KEYS).map(k -> k[0] + " (" + k[2] + ")").toList() + ", models "
        + OPUS + " > " + SONNET + ", continueInterruptedStreams on.");
    List<Scene> scenes = new ArrayList<>();
    try (Switchboard router = router(sim, console)) {
      CallOptions reader = CallOptions.forUser("reader");
      scenes.add(scene(router, sim, console, "1. A clean stream", null, reader,
          "Describe a lighthouse at dusk."));
      scenes.add(scene(router, sim, console, "2. Overloaded before the first token: the router "
              + "fails over, the caller never knows", Fault.streamError(0).times(1), reader,
          "Describe a harbour at dawn."));
      scenes.add(scene(router, sim, console, "3. The connection drops after " + DROP_AFTER_DELTAS
              + " deltas: the router continues the answer on another route",
          Fault.streamDisconnect(DROP_AFTER_DELTAS).times(1), reader,
          "Describe a ferry crossing in fog."));
      scenes.add(scene(router, sim, console, "4. The same drop with continuation off for this "
              + "call", Fault.streamDisconnect(DROP_AFTER_DELTAS).times(1),
          reader.continueInterrupted(false), "Describe a storm at sea."));
    }
    return scenes;
  }

  /** Streams one answer, with {@code fault} (if any) waiting in the simulator for it. */
  private static Scene scene(Switchboard router, Simulator sim, Console console, String title,
      Fault fault, CallOptions options, String prompt) {
    console.line("");
    console.line(title);
    if (fault != null) {
      sim.faults().add(fault);
    }
    MessageRequest request = MessageRequest.builder().model(OPUS).maxTokens(200)
        .addUserMessage(prompt).build();
    PrintingHandler handler = new PrintingHandler(console);
    CompletableFuture<RoutedResponse> f = router.stream(request, options, handler);
    RoutedResponse response = null;
    Throwable error = null;
    try {
      response = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException ex) {
      error = ex.getCause();
    } catch (TimeoutException ex) {
      f.cancel(true);
      error = ex;
    } catch (InterruptedException ex) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      error = ex;
    }
    if (response != null) {
      console.line(describe(response, handler));
    } else {
      console.line(describe(error, handler));
    }
    return new Scene(title, handler, response, error);
  }

  private static String describe(RoutedResponse r, PrintingHandler h) {
    StreamStats stats = r.stream().orElseThrow();
    String ttft = stats.timeToFirstToken().map(d -> d.toMillis() + " ms").orElse("none");
    return String.format(Locale.ROOT, "   answered by %s via %s; attempts: %s; first token after "
            + "%s, %.0f tokens/s; the handler saw %d message_start, %d message_stop%s", r.model(),
        r.keyAlias(), attempts(r.attempts()), ttft, stats.outputTokensPerSecond(), h.starts.get(),
        h.stops.get(), r.continued() ? "; continued: true" : "");
  }

  private static String describe(Throwable error, PrintingHandler h) {
    if (error instanceof StreamInterruptedException si) {
      int chars = si.partial().map(m -> m.text().length()).orElse(0);
      return "   ended with StreamInterruptedException: " + si.getMessage()
          + "; content delivered: " + si.contentDelivered() + "; the partial answer ("
          + chars + " chars) is in partial(); the handler saw " + h.starts.get()
          + " message_start, " + h.stops.get() + " message_stop";
    }
    return "   failed: " + error;
  }

  private static String attempts(List<AttemptRecord> attempts) {
    return attempts.stream().map(a -> a.outcome() + " (" + a.keyAlias() + ")")
        .collect(Collectors.joining(", "));
  }

  /** Writes the router's decisions that the caller's handler never sees. */
  private static final class Notes implements RouterListener {
    private final Console console;

    Notes(Console console) {
      this.console = console;
    }

    @Override
    public void attemptStarted(RouterEvent.AttemptStarted e) {
      if (e.attempt() > 1) {
        console.note("attempt " + e.attempt() + " on " + e.keyAlias() + " / " + e.model());
      }
    }

    @Override
    public void attemptFinished(RouterEvent.AttemptFinished e) {
      if (e.outcome() != Outcome.SUCCESS) {
        console.note("attempt " + e.attempt() + " on " + e.keyAlias() + " / " + e.model()
            + " failed: " + e.outcome() + (e.status() > 0 ? " " + e.status() : "") + ", "
            + e.reason());
      }
    }

    @Override
    public void streamFinished(RouterEvent.StreamFinished e) {
      if (e.continued()) {
        console.note("stream finished " + e.outcome() + ", continued on another route");
      }
    }
  }
}
