package dev.switchboard.examples;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.testkit.Simulator;
import java.net.URI;
import java.time.Duration;

/**
 * The ten-line quickstart: one router over two keys in two organizations and a three-tier model
 * chain. Without {@code ANTHROPIC_API_KEY} it runs against the testkit {@link Simulator}, started
 * in-process; with it, against the real API.
 */
public final class Quickstart {
  private Quickstart() {}

  public static void main(String[] args) {
    String realKey = System.getenv("ANTHROPIC_API_KEY");
    try (Simulator sim = realKey == null ? Simulator.withDefaults() : null) {
      URI baseUrl = sim == null ? URI.create("https://api.anthropic.com") : sim.baseUrl();
      String keyA = realKey != null ? realKey : Simulator.Builder.PRESET_KEYS.get("team-a");
      String keyB = realKey != null ? realKey : Simulator.Builder.PRESET_KEYS.get("team-c");
      run(baseUrl, keyA, keyB);
    }
  }

  /** Sends one call through a router and prints which model and key answered, and the answer. */
  static void run(URI baseUrl, String keyA, String keyB) {
    // @start region=quickstart
    try (Switchboard router = Switchboard.builder()
        .baseUrl(baseUrl.toString())
        .key("team-a", keyA, "org-1")                       // alias, secret, organization
        .key("team-c", keyB, "org-2")
        .model("claude-opus-4-6").fallbackTo("claude-sonnet-4-6").fallbackTo("claude-haiku-4-5")
        .strategy("headroom")
        .build()) {
      MessageRequest request = MessageRequest.builder()
          .model("claude-opus-4-6").maxTokens(256).addUserMessage("Hello, Claude").build();
      RoutedResponse r = router.send(request, CallOptions.forUser("tenant-42").deadline(Duration.ofSeconds(20)));
      System.out.println(r.model() + " answered via " + r.keyAlias() + " after " + r.attempts().size()
          + " attempt(s): " + r.response().text());
    }
    // @end region=quickstart
  }
}
