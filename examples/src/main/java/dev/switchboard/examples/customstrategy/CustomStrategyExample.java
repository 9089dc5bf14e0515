package dev.switchboard.examples.customstrategy;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.BucketLimits;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.testkit.Simulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A routing strategy of your own, end to end through the SPI: {@link
 * StickyWeightedStrategyProvider} is listed in {@code META-INF/services}, found by {@code
 * ServiceLoader} next to the five built-ins, and selected by name with {@code
 * .strategy("sticky-weighted")}. The program sends a series of calls and prints which key served
 * each: the router sticks to one organization until its pool falls under a quarter of its budget,
 * then spills to the other.
 *
 * <p>Without {@code ANTHROPIC_API_KEY} it runs against the testkit {@link Simulator} (two keys in
 * two organizations of 8 requests per minute each); with it, against the real API with that one
 * key.
 */
public final class CustomStrategyExample {
  /** The model every call of the example uses. */
  static final String MODEL = "claude-haiku-4-5";
  /** Requests per minute of each simulated organization: small, so a pool runs low quickly. */
  static final long SIMULATED_RPM = 8;

  private CustomStrategyExample() {}

  /** Runs the example; see the class comment. */
  public static void main(String[] args) {
    System.out.println("routing strategies on the class path: " + strategyNames());
    String realKey = System.getenv("ANTHROPIC_API_KEY");
    if (realKey != null) {
      List<RouteKey> keys = List.of(new RouteKey("main", realKey, "my-org", 1));
      try (Switchboard router = router(URI.create("https://api.anthropic.com"), keys,
          BucketLimits.UNKNOWN)) {
        print(send(router, 3));
      }
      return;
    }
    try (Simulator sim = simulator(SIMULATED_RPM)) {
      try (Switchboard router = router(sim.baseUrl(), simulatedKeys(), limits(SIMULATED_RPM))) {
        print(send(router, 14));
      }
    }
  }

  /** Returns the names of every {@link RoutingStrategyProvider} {@code ServiceLoader} finds. */
  static Set<String> strategyNames() {
    return Providers.all(RoutingStrategyProvider.class,
        CustomStrategyExample.class.getClassLoader()).keySet();
  }

  /**
   * Returns a simulator whose organizations {@code org-1} and {@code org-2} have {@code rpm}
   * requests per minute (and ample tokens) for {@value #MODEL}.
   */
  static Simulator simulator(long rpm) {
    return Simulator.builder().preset()
        .limits("org-1", "haiku-4-5", rpm, 1_000_000, 1_000_000)
        .limits("org-2", "haiku-4-5", rpm, 1_000_000, 1_000_000)
        .start();
  }

  /** Returns the two simulated keys: {@code team-a} in org-1 (weight 1), {@code team-c} in org-2 (weight 3). */
  static List<RouteKey> simulatedKeys() {
    return List.of(
        new RouteKey("team-a", Simulator.Builder.PRESET_KEYS.get("team-a"), "org-1", 1),
        new RouteKey("team-c", Simulator.Builder.PRESET_KEYS.get("team-c"), "org-2", 3));
  }

  /** Returns per-minute limits of {@code rpm} requests and ample tokens. */
  static BucketLimits limits(long rpm) {
    return Switchboard.limits(rpm, 1_000_000, 1_000_000);
  }

  /** Returns a router over {@code keys} that routes with the strategy found by name. */
  static Switchboard router(URI baseUrl, List<RouteKey> keys, BucketLimits limits) {
    Switchboard.Builder b = Switchboard.builder().baseUrl(baseUrl.toString());
    for (RouteKey k : keys) {
      b.key(k.alias(), k.secret(), k.organization(), k.weight());
    }
    return b.model(MODEL, limits)
        .strategy(StickyWeightedStrategyProvider.NAME)
        .deadline(Duration.ofSeconds(20))
        .build();
  }

  /** Sends {@code calls} calls one after another and returns the alias of the key that served each. */
  static List<String> send(Switchboard router, int calls) {
    List<String> servedBy = new ArrayList<>();
    for (int i = 1; i <= calls; i++) {
      MessageRequest request = MessageRequest.builder().model(MODEL).maxTokens(64)
          .addUserMessage("Give me fact number " + i + " about lighthouses.").build();
      RoutedResponse r = router.send(request, CallOptions.forUser("example"));
      servedBy.add(r.keyAlias());
    }
    return servedBy;
  }

  private static void print(List<String> servedBy) {
    for (int i = 0; i < servedBy.size(); i++) {
      System.out.println("call " + (i + 1) + " served by " + servedBy.get(i));
    }
  }

  /**
   * One key of the example.
   *
   * @param alias the key's alias
   * @param secret the API key
   * @param organization its organization
   * @param weight its weight in the draw of a new sticky route
   */
  record RouteKey(String alias, String secret, String organization, int weight) {
    @Override
    public String toString() {
      return "RouteKey[" + alias + ", " + organization + ", weight " + weight + "]";
    }
  }
}
