package dev.switchboard.examples.tenants;

import dev.switchboard.CallOptions;
import dev.switchboard.RoutedResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.admission.Priority;
import dev.switchboard.admission.TenantPolicy;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.spi.BreakerConfig;
import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.Message;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.testkit.Fault;
import dev.switchboard.testkit.Simulator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A multi-tenant service on one router: the tenants {@code acme} (an enterprise plan, weight 3),
 * {@code globex} and {@code initech} (weight 1 each) share the same keys. Three scenes:
 *
 * <ol>
 *   <li><b>Per-user circuit breaker</b>: one user's client sends malformed requests (OpenAI-style
 *       {@code system} messages); after four rejections that user's calls fail fast without
 *       reaching the API, while another user of the same tenant is served.
 *   <li><b>Fair share</b>: with one call in flight at a time, acme floods the queue with 45 calls,
 *       globex sends 15, and initech 5 that arrive last; admissions follow the weights (3:1:1)
 *       while tenants wait, so initech is served within the first few dozen calls, not after the
 *       flood, and an {@link Priority#INTERACTIVE} call overtakes everything queued.
 *   <li><b>Response cache</b>: an identical temperature-0 question of acme is answered from the
 *       cache (free, no API call); the same question of globex is not, because the cache is
 *       tenant-scoped; an opted-in call at the default temperature is cached too.
 * </ol>
 *
 * <p>Without {@code ANTHROPIC_API_KEY} it runs against the testkit {@link Simulator}; with it,
 * against the real API with that one key (and a smaller flood).
 */
public final class TenantsExample {
  /** The model of every call: the cheapest tier. */
  static final String MODEL = "claude-haiku-4-5";
  /** Rejections within a user's last four calls open that user's breaker. */
  static final BreakerConfig USER_BREAKER = new BreakerConfig(BreakerConfig.WindowType.COUNT, 4, 4,
      0.5, Duration.ofSeconds(30), Duration.ofMinutes(5), 1);

  private TenantsExample() {}

  /** Runs the three scenes; see the class comment. */
  public static void main(String[] args) {
    String realKey = System.getenv("ANTHROPIC_API_KEY");
    if (realKey != null) {
      try (Switchboard router = router(URI.create("https://api.anthropic.com"),
          Map.of("main", realKey))) {
        System.out.println(userBreaker(router));
        System.out.println("admission order: " + fairShare(router, null, 6, 2, 2));
        System.out.println("cached answers: " + responseCache(router));
        System.out.println("spend per tenant: " + dollars(router.snapshot().costs().byTenant()));
      }
      return;
    }
    try (Simulator sim = simulator();
        Switchboard router = router(sim.baseUrl(), simulatedKeys())) {
      System.out.println(userBreaker(router));
      System.out.println("admission order: " + fairShare(router, sim, 45, 15, 5));
      System.out.println("cached answers: " + responseCache(router));
      System.out.println("spend per tenant: " + dollars(router.snapshot().costs().byTenant()));
      System.out.println("API calls made: " + sim.calls().size());
    }
  }

  /** Returns a simulator with the preset keys and ample limits for {@value #MODEL}. */
  static Simulator simulator() {
    return Simulator.builder().preset()
        .limits("org-1", "haiku-4-5", 1_000, 1_000_000, 1_000_000)
        .limits("org-2", "haiku-4-5", 1_000, 1_000_000, 1_000_000)
        .start();
  }

  /** Returns the four preset keys (two organizations) by alias. */
  static Map<String, String> simulatedKeys() {
    return Simulator.Builder.PRESET_KEYS;
  }

  /**
   * Returns the service's router: per-user breakers of {@link #USER_BREAKER}, admission control
   * with one call in flight and up to 200 queued, tenant weights acme 3 / globex 1 / initech 1,
   * and the response cache with its default policy (temperature 0 or opt-in, 10 minutes,
   * tenant-scoped).
   *
   * @param keys secret by alias; simulated aliases {@code team-a}, {@code team-b} are in org-1 and
   *     the others in org-2
   */
  static Switchboard router(URI baseUrl, Map<String, String> keys) {
    Switchboard.Builder b = Switchboard.builder().baseUrl(baseUrl.toString());
    keys.keySet().stream().sorted().forEach(alias -> b.key(alias, keys.get(alias),
        alias.equals("team-a") || alias.equals("team-b") ? "org-1" : "org-2"));
    return b.model(MODEL)
        .userBreaker(USER_BREAKER)
        .admission(1, 200)
        .tenant("acme", TenantPolicy.builder().weight(3).build())
        .tenant("globex", TenantPolicy.builder().weight(1).build())
        .tenant("initech", TenantPolicy.builder().weight(1).build())
        .responseCache(CachePolicy.DEFAULT)
        .deadline(Duration.ofMinutes(2))
        .build();
  }

  /**
   * Scene 1: mallory (tenant acme) sends six malformed requests, then alice (acme too) one good
   * one. Returns what each call ended with.
   */
  static BreakerScene userBreaker(Switchboard router) {
    List<String> mallory = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      MessageRequest openAiStyle = MessageRequest.builder().model(MODEL).maxTokens(64)
          .addMessage(new Message("system", List.of(ContentBlock.text("You are terse."))))
          .addUserMessage("Ticket " + i + ": my invoice is wrong.").build();
      mallory.add(outcome(() -> router.send(openAiStyle,
          CallOptions.forUser("mallory").tenant("acme"))));
    }
    String alice = outcome(() -> router.send(question("Ticket 7: how do I reset my password?", null),
        CallOptions.forUser("alice").tenant("acme")));
    return new BreakerScene(mallory, alice);
  }

  /**
   * Scene 2: while one call holds the only slot (with the simulator, 500 ms of added latency),
   * acme queues {@code acmeCalls}, globex {@code globexCalls}, then initech {@code initechCalls}
   * and finally globex one {@link Priority#INTERACTIVE} call. Returns the tenants of the queued
   * calls in the order they were served ({@code "globex!"} for the interactive one).
   *
   * @param sim the simulator to slow the first call down with, or null for the real API
   */
  static List<String> fairShare(Switchboard router, Simulator sim, int acmeCalls, int globexCalls,
      int initechCalls) {
    if (sim != null) {
      sim.faults().add(Fault.latency(Duration.ofMillis(500)).times(1));
    }
    CompletableFuture<RoutedResponse> holder = router.sendAsync(question("Hold the slot.", null),
        CallOptions.forUser("ops").tenant("ops"));
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<RoutedResponse>> calls = new ArrayList<>();
    calls.addAll(queue(router, "acme", acmeCalls, Priority.STANDARD, order));
    calls.addAll(queue(router, "globex", globexCalls, Priority.STANDARD, order));
    calls.addAll(queue(router, "initech", initechCalls, Priority.STANDARD, order));
    calls.addAll(queue(router, "globex", 1, Priority.INTERACTIVE, order));
    await(holder);
    calls.forEach(TenantsExample::await);
    synchronized (order) {
      return List.copyOf(order);
    }
  }

  /**
   * Scene 3: acme asks a temperature-0 question twice (two users), globex asks it once, then acme
   * asks an opted-in question at the default temperature twice. Returns whether each of the five
   * answers came from the cache.
   */
  static List<Boolean> responseCache(Switchboard router) {
    MessageRequest faq = question("What are your support hours?", 0.0);
    MessageRequest classify = question("Classify this ticket: 'card declined at checkout'.", null);
    List<Boolean> cached = new ArrayList<>();
    cached.add(router.send(faq, CallOptions.forUser("alice").tenant("acme")).cached());
    cached.add(router.send(faq, CallOptions.forUser("bob").tenant("acme")).cached());
    cached.add(router.send(faq, CallOptions.forUser("carol").tenant("globex")).cached());
    cached.add(router.send(classify, CallOptions.forUser("alice").tenant("acme").cacheable(true)).cached());
    cached.add(router.send(classify, CallOptions.forUser("bob").tenant("acme").cacheable(true)).cached());
    return cached;
  }

  private static List<CompletableFuture<RoutedResponse>> queue(Switchboard router, String tenant,
      int n, Priority priority, List<String> order) {
    String label = priority == Priority.INTERACTIVE ? tenant + "!" : tenant;
    List<CompletableFuture<RoutedResponse>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<RoutedResponse> f = router.sendAsync(
          question(tenant + " request " + i + ": summarise my last order.", null),
          CallOptions.forUser(tenant + "-user").tenant(tenant).priority(priority));
      f.whenComplete((r, ex) -> order.add(label));
      calls.add(f);
    }
    return calls;
  }

  /** Returns the amounts as US dollars to four decimals, by name in order. */
  static String dollars(Map<String, Double> byName) {
    StringBuilder sb = new StringBuilder("{");
    byName.keySet().stream().sorted().forEach(name -> sb.append(sb.length() > 1 ? ", " : "")
        .append(name).append('=').append(String.format(java.util.Locale.ROOT, "$%.4f", byName.get(name))));
    return sb.append('}').toString();
  }

  private static MessageRequest question(String text, Double temperature) {
    return MessageRequest.builder().model(MODEL).maxTokens(64).temperature(temperature)
        .addUserMessage(text).build();
  }

  /** Returns "answered" or the simple name of the exception the call ended with. */
  private static String outcome(java.util.function.Supplier<RoutedResponse> call) {
    try {
      call.get();
      return "answered";
    } catch (SwitchboardException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static void await(CompletableFuture<RoutedResponse> f) {
    try {
      f.get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new CompletionException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a call", e);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("a call did not end within 2 minutes", e);
    }
  }

  /**
   * What scene 1 showed.
   *
   * @param mallory how each of mallory's six calls ended
   * @param alice how alice's call ended
   */
  record BreakerScene(List<String> mallory, String alice) {
    @Override
    public String toString() {
      return "mallory's calls: " + mallory + "; alice's call: " + alice;
    }
  }
}
