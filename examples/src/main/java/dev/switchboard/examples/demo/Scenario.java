package dev.switchboard.examples.demo;

import dev.switchboard.spi.BucketLimits;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated world the demo runs in: two organizations (a large Tier-4 one with three keys, a
 * Tier-2 one with two), three models in three rate-limit pools with the API's published per-tier
 * limits, and a fault script timed as fractions of the run's window. Each run (the router's, then
 * the naive loop's) gets a fresh simulator and replays the same script, so both face the same
 * world. Streamed answers arrive token by token (a short pause before the first, a few
 * milliseconds between tokens); near the end of the run a window of mid-stream faults breaks
 * streams before and after their first token.
 */
final class Scenario {
  static final String OPUS = "claude-opus-4-6";
  static final String SONNET = "claude-sonnet-4-6";
  static final String HAIKU = "claude-haiku-4-5";
  static final String NORTH = "org-north";
  static final String SOUTH = "org-south";
  static final String REVOKED_KEY = "north-2";

  /** Keys by alias, with their organization and (simulated) secret, in round-robin order. */
  static final List<SimKey> KEYS = List.of(
      new SimKey("north-1", NORTH, "sk-ant-demo-north-1-7f3a"),
      new SimKey("south-1", SOUTH, "sk-ant-demo-south-1-c41e"),
      new SimKey("north-2", NORTH, "sk-ant-demo-north-2-90bd"),
      new SimKey("south-2", SOUTH, "sk-ant-demo-south-2-2a77"),
      new SimKey("north-3", NORTH, "sk-ant-demo-north-3-e5c2"));

  /** Tier 4 (opus and sonnet pools): 4,000 RPM, 2M ITPM, 400k OTPM. */
  static final BucketLimits TIER4 = new BucketLimits(4_000, 2_000_000, 400_000);
  /** Tier 4 haiku pool: 4,000 RPM, 4M ITPM, 800k OTPM. */
  static final BucketLimits TIER4_HAIKU = new BucketLimits(4_000, 4_000_000, 800_000);
  /** Tier 2 (opus and sonnet pools): 1,000 RPM, 450k ITPM, 90k OTPM. */
  static final BucketLimits TIER2 = new BucketLimits(1_000, 450_000, 90_000);
  /** Tier 2 haiku pool: 1,000 RPM, 450k ITPM, 90k OTPM. */
  static final BucketLimits TIER2_HAIKU = new BucketLimits(1_000, 450_000, 90_000);

  /** One key of the simulated world. */
  record SimKey(String alias, String organization, String secret) {}

  private final Duration window;
  private final int calls;
  private final boolean quick;

  Scenario(Duration window, int calls, boolean quick) {
    this.window = window;
    this.calls = calls;
    this.quick = quick;
  }

  /** Returns the limits of an organization's pool for a model. */
  static BucketLimits limits(String organization, String model) {
    boolean haiku = model.equals(HAIKU);
    if (organization.equals(NORTH)) {
      return haiku ? TIER4_HAIKU : TIER4;
    }
    return haiku ? TIER2_HAIKU : TIER2;
  }

  /** Returns the deadlines and attempt timeouts of the service classes. */
  Workload.Deadlines deadlines() {
    return quick
        ? new Workload.Deadlines(seconds(6), seconds(8), seconds(10), seconds(2), seconds(3),
            seconds(4))
        : new Workload.Deadlines(seconds(8), seconds(15), seconds(20), seconds(2), seconds(3),
            seconds(5));
  }

  private static Duration seconds(long s) {
    return Duration.ofSeconds(s);
  }

  /** Returns how long a stalled request hangs before the simulator answers it. */
  Duration stall() {
    return quick ? Duration.ofSeconds(5) : Duration.ofSeconds(8);
  }

  /** Returns how long a stream stalls (pinging) in the mid-stream fault window. */
  Duration streamStall() {
    return quick ? Duration.ofSeconds(3) : Duration.ofSeconds(4);
  }

  /** Returns how many streams each kind of mid-stream fault breaks. */
  int streamFaults() {
    return Math.max(2, calls / 200);
  }

  /** Starts a fresh simulator of this world (no faults yet; see {@link #script}). */
  Simulator startSimulator() {
    Simulator.Builder b = Simulator.builder()
        .model(OPUS, "opus-4", 200_000)
        .model(SONNET, "sonnet-4", 1_000_000)
        .model(HAIKU, "haiku-4-5", 200_000)
        .recordBodies(false)
        .logCapacity(Math.max(1_000, calls * 3))
        .timeToFirstToken(Duration.ofMillis(40))
        .interEventDelay(Duration.ofMillis(3))
        .pingInterval(Duration.ofMillis(250));
    for (String org : List.of(NORTH, SOUTH)) {
      for (Map.Entry<String, String> pool : Map.of(OPUS, "opus-4", SONNET, "sonnet-4", HAIKU,
          "haiku-4-5").entrySet()) {
        BucketLimits l = limits(org, pool.getKey());
        b.limits(org, pool.getValue(), l.requestsPerMinute(), l.inputTokensPerMinute(),
            l.outputTokensPerMinute());
      }
    }
    for (SimKey k : KEYS) {
      b.key(k.alias(), k.secret(), k.organization());
    }
    Simulator sim = b.start();
    // every answer takes time, more for bigger models
    sim.faults().add(Fault.latency(Duration.ofMillis(120), Duration.ofMillis(400)).forModel(OPUS));
    sim.faults().add(Fault.latency(Duration.ofMillis(60), Duration.ofMillis(250)).forModel(SONNET));
    sim.faults().add(Fault.latency(Duration.ofMillis(20), Duration.ofMillis(120)).forModel(HAIKU));
    return sim;
  }

  /** One step of the fault script. */
  record Step(double at, String description, Consumer<Simulator> action) {}

  /** Returns the fault script, in order. */
  List<Step> steps() {
    int stalls = Math.max(3, calls / 300);
    Duration burst = Duration.ofMillis(quick ? 1_000 : 1_500);
    Duration retryAfter = Duration.ofSeconds(quick ? 3 : 4);
    double windowSeconds = window.toMillis() / 1000.0;
    double overloadLength = Math.max(3.0, windowSeconds / 10) / windowSeconds;
    List<Step> steps = new ArrayList<>();
    Fault[] holder = new Fault[3];
    steps.add(new Step(0.15, stalls + " requests on north-3 stall for " + stall().toSeconds()
        + " s", sim -> sim.faults().add(Fault.stallBeforeHeaders(stall()).forKey("north-3")
            .times(stalls))));
    steps.add(new Step(0.20, "burst of 429s (retry-after " + retryAfter.toSeconds() + " s) on "
        + NORTH + " / " + OPUS + " for " + burst.toMillis() + " ms", sim -> {
          holder[0] = Fault.rateLimited(retryAfter).forOrganization(NORTH).forModel(OPUS);
          sim.faults().add(holder[0]);
        }));
    steps.add(new Step(0.20 + burst.toMillis() / (double) window.toMillis(), "429 burst on "
        + NORTH + " over", removal(holder, 0)));
    steps.add(new Step(0.30, "key " + REVOKED_KEY + " is revoked (401 from now on)",
        sim -> sim.setKeyState(REVOKED_KEY, Simulator.KeyState.REVOKED)));
    steps.add(new Step(0.45, "529 overloaded window on " + OPUS + " begins", sim -> {
      holder[1] = Fault.overloaded().forModel(OPUS);
      sim.faults().add(holder[1]);
    }));
    steps.add(new Step(0.45 + overloadLength, "529 window on " + OPUS + " ends",
        removal(holder, 1)));
    steps.add(new Step(0.60, stalls + " requests on south-1 stall for " + stall().toSeconds()
        + " s", sim -> sim.faults().add(Fault.stallBeforeHeaders(stall()).forKey("south-1")
            .times(stalls))));
    steps.add(new Step(0.70, "burst of 429s (retry-after " + retryAfter.toSeconds() + " s) on "
        + SOUTH + " for " + burst.toMillis() + " ms", sim -> {
          holder[2] = Fault.rateLimited(retryAfter).forOrganization(SOUTH);
          sim.faults().add(holder[2]);
        }));
    steps.add(new Step(0.70 + burst.toMillis() / (double) window.toMillis(), "429 burst on "
        + SOUTH + " over", removal(holder, 2)));
    int n = streamFaults();
    List<Fault> midStream = new java.util.concurrent.CopyOnWriteArrayList<>();
    steps.add(new Step(0.76, "mid-stream faults begin, on up to " + n + " streams each: "
        + "overloaded error before the first token (south-2), overloaded error after 3 text "
        + "deltas (north-1), connection dropped after 5 deltas (north-3), a "
        + streamStall().toSeconds() + " s stall with pings after 2 deltas (south-1)", sim -> {
          midStream.add(Fault.streamError(0).forKey("south-2").times(n));
          midStream.add(Fault.streamError(3).forKey("north-1").times(n));
          midStream.add(Fault.streamDisconnect(5).forKey("north-3").times(n));
          midStream.add(Fault.streamStall(2, streamStall(), true).forKey("south-1").times(n));
          midStream.forEach(sim.faults()::add);
        }));
    steps.add(new Step(0.94, "mid-stream faults over",
        sim -> midStream.forEach(sim.faults()::remove)));
    steps.sort(java.util.Comparator.comparingDouble(Step::at));
    return steps;
  }

  /** Returns the action that ends the fault in {@code holder[i]}, if it was added. */
  private static Consumer<Simulator> removal(Fault[] holder, int i) {
    return sim -> {
      if (holder[i] != null) {
        sim.faults().remove(holder[i]);
      }
    };
  }

  /**
   * Schedules the script against {@code sim} from now; each step is reported to {@code log}.
   * Returns the scheduled steps, to cancel when the run ends early.
   */
  List<ScheduledFuture<?>> script(Simulator sim, ScheduledExecutorService timer,
      Consumer<String> log) {
    List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    for (Step s : steps()) {
      long delay = (long) (s.at() * window.toNanos());
      scheduled.add(timer.schedule(() -> {
        s.action().accept(sim);
        log.accept(s.description());
      }, delay, TimeUnit.NANOSECONDS));
    }
    return scheduled;
  }
}
