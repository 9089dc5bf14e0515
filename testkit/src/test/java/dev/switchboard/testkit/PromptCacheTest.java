package dev.switchboard.testkit;

import static dev.switchboard.testkit.Api.json;
import static dev.switchboard.testkit.Api.messages;
import static dev.switchboard.testkit.Api.obj;
import static dev.switchboard.testkit.Api.usage;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PromptCacheTest {
  static final String OPUS = "claude-opus-4-6";
  static final String A = "sk-ant-test-aaa";
  static final String B = "sk-ant-test-bbb";
  static final String C = "sk-ant-test-ccc";
  static final String SYSTEM = "s".repeat(4_000); // 1,000 tokens

  final FakeTicker ticker = new FakeTicker();
  Simulator sim;

  @BeforeEach
  void start() {
    sim = Simulator.builder().ticker(ticker).clock(ticker.clock())
        .model(OPUS, "opus-4", 200_000)
        .limits("org-1", "opus-4", 100, 1_500, 100_000)
        .key("team-a", A, "org-1")
        .key("team-b", B, "org-1")
        .key("team-c", C, "org-2")
        .start();
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  static String cached(String ttl, String user) {
    String cc = ttl == null ? "{\"type\":\"ephemeral\"}"
        : "{\"type\":\"ephemeral\",\"ttl\":\"" + ttl + "\"}";
    return "{\"model\":\"" + OPUS + "\",\"max_tokens\":10,\"system\":[{\"type\":\"text\",\"text\":\""
        + SYSTEM + "\",\"cache_control\":" + cc + "}],\"messages\":[{\"role\":\"user\",\"content\":\""
        + user + "\"}]}";
  }

  @Test
  void firstRequest_createsCacheAndSecondReadsIt() {
    HttpResponse<String> first = messages(sim, A, cached(null, "hi"));
    HttpResponse<String> second = messages(sim, B, cached(null, "other question"));

    assertThat(usage(first, "cache_creation_input_tokens")).isEqualTo(1_000);
    assertThat(usage(first, "cache_read_input_tokens")).isZero();
    assertThat(usage(first, "input_tokens")).isEqualTo(1);
    assertThat(obj(obj(json(first).get("usage")).get("cache_creation")))
        .containsEntry("ephemeral_5m_input_tokens", 1000.0)
        .containsEntry("ephemeral_1h_input_tokens", 0.0);
    assertThat(usage(second, "cache_creation_input_tokens")).isZero();
    assertThat(usage(second, "cache_read_input_tokens")).isEqualTo(1_000);
    assertThat(usage(second, "input_tokens")).isEqualTo(4);
    assertThat(sim.calls().get(1).cacheReadInputTokens()).isEqualTo(1_000);
  }

  @Test
  void cacheReads_areNotChargedToItpm() {
    // ITPM 1,500: the first call charges 1,001 (creation + input); a second uncached one could not fit
    assertThat(messages(sim, A, cached(null, "hi")).statusCode()).isEqualTo(200);

    HttpResponse<String> second = messages(sim, A, cached(null, "hi"));

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(usage(second, "cache_read_input_tokens")).isEqualTo(1_000);
    String uncached = "{\"model\":\"" + OPUS + "\",\"max_tokens\":10,\"system\":\"" + SYSTEM
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    assertThat(messages(sim, A, uncached).statusCode()).isEqualTo(429);
  }

  @Test
  void cache_isPerOrganization() {
    messages(sim, A, cached(null, "hi"));

    HttpResponse<String> otherOrg = messages(sim, C, cached(null, "hi"));

    assertThat(usage(otherOrg, "cache_read_input_tokens")).isZero();
    assertThat(usage(otherOrg, "cache_creation_input_tokens")).isEqualTo(1_000);
  }

  @Test
  void cache_expiresAfterFiveMinutesOfTickerTime() {
    messages(sim, A, cached(null, "hi"));
    ticker.advance(Duration.ofMinutes(4));
    // a read refreshes the entry for another 5 minutes
    assertThat(usage(messages(sim, A, cached(null, "hi")), "cache_read_input_tokens")).isEqualTo(1_000);
    ticker.advance(Duration.ofMinutes(4));
    assertThat(usage(messages(sim, A, cached(null, "hi")), "cache_read_input_tokens")).isEqualTo(1_000);

    ticker.advance(Duration.ofMinutes(5).plusSeconds(1));

    HttpResponse<String> r = messages(sim, A, cached(null, "hi"));
    assertThat(usage(r, "cache_read_input_tokens")).isZero();
    assertThat(usage(r, "cache_creation_input_tokens")).isEqualTo(1_000);
  }

  @Test
  void oneHourTtl_isReportedInItsOwnSplitAndOutlivesFiveMinutes() {
    HttpResponse<String> first = messages(sim, A, cached("1h", "hi"));

    assertThat(obj(obj(json(first).get("usage")).get("cache_creation")))
        .containsEntry("ephemeral_5m_input_tokens", 0.0)
        .containsEntry("ephemeral_1h_input_tokens", 1000.0);
    ticker.advance(Duration.ofMinutes(30));
    assertThat(usage(messages(sim, A, cached("1h", "hi")), "cache_read_input_tokens")).isEqualTo(1_000);
  }

  @Test
  void topLevelCacheControl_cachesTheWholePrompt() {
    String body = "{\"model\":\"" + OPUS + "\",\"max_tokens\":10,\"cache_control\":{\"type\":"
        + "\"ephemeral\"},\"messages\":[{\"role\":\"user\",\"content\":\"" + "q".repeat(400) + "\"}]}";

    HttpResponse<String> first = messages(sim, A, body);
    HttpResponse<String> second = messages(sim, A, body);

    assertThat(usage(first, "cache_creation_input_tokens")).isEqualTo(100);
    assertThat(usage(first, "input_tokens")).isZero();
    assertThat(usage(second, "cache_read_input_tokens")).isEqualTo(100);
  }

  @Test
  void countTokens_countsEverythingAndIgnoresTheCache() {
    messages(sim, A, cached(null, "hi"));
    String count = "{\"model\":\"" + OPUS + "\",\"system\":[{\"type\":\"text\",\"text\":\"" + SYSTEM
        + "\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hi\"}]}";

    HttpResponse<String> r = Api.countTokens(sim, A, count);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"input_tokens\":1001}");
  }
}
