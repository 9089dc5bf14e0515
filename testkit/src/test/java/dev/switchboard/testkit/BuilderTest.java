package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderTest {

  @Test
  void limits_belowOne_areRejectedNamingFieldAndValue() {
    assertThatThrownBy(() -> Simulator.builder().limits("org-1", "opus-4", 0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("rpm must be >= 1 but was 0");
    assertThatThrownBy(() -> Simulator.builder().limits("org-1", "opus-4", 1, -5, 10))
        .hasMessage("itpm must be >= 1 but was -5");
  }

  @Test
  void model_duplicateOrBadSizes_areRejected() {
    assertThatThrownBy(() -> Simulator.builder().model("m", "p", 0))
        .hasMessage("contextWindow must be >= 1 but was 0");
    assertThatThrownBy(() -> Simulator.builder().model("m", "p", 10).model("m", "q", 10))
        .hasMessage("model 'm' is already registered");
  }

  @Test
  void key_duplicateSecret_isRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> Simulator.builder().key("a", "sk-ant-secret", "o")
        .key("b", "sk-ant-secret", "o"))
        .hasMessage("secret of key 'b' is already used by key 'a'");
    assertThatThrownBy(() -> Simulator.builder().key("a", " ", "o"))
        .hasMessage("secret of key 'a' must not be blank");
  }

  @Test
  void start_limitsForUnknownPool_failsNamingIt() {
    assertThatThrownBy(() -> Simulator.builder().model("m", "opus-4", 10)
        .limits("org-1", "sonnet-4", 1, 1, 1).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("limits for organization 'org-1' name pool 'sonnet-4' but no model is in it; "
            + "known pools: [opus-4]");
  }

  @Test
  void runtimeSetters_unknownNames_areRejected() {
    try (Simulator sim = Simulator.withDefaults()) {
      assertThatThrownBy(() -> sim.setKeyState("nobody", Simulator.KeyState.REVOKED))
          .hasMessage("unknown key label 'nobody'; known: [team-a, team-b, team-c, team-d]");
      assertThatThrownBy(() -> sim.setLimits("org-1", "gpt", 1, 1, 1))
          .hasMessage("unknown pool 'gpt'; known pools: [opus-4, sonnet-4, haiku-4-5]");
      assertThatThrownBy(() -> sim.organizationId("org-9"))
          .hasMessage("unknown organization 'org-9'; known: [org-1, org-2]");
    }
  }

  @Test
  void fault_factories_validate() {
    assertThatThrownBy(() -> Fault.error(200, "x", "y"))
        .hasMessage("status must be in 400..599 but was 200");
    assertThatThrownBy(() -> Fault.latency(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("max must be >= min (PT2S) but was PT1S");
    assertThatThrownBy(() -> Fault.overloaded().times(0)).hasMessage("times must be >= 1 but was 0");
    assertThatThrownBy(() -> Fault.streamError(-1)).hasMessage("afterDeltas must be >= 0 but was -1");
    assertThat(Fault.overloaded().forModel("claude-opus-4-6").times(5))
        .hasToString("Fault[529 overloaded_error, model=claude-opus-4-6, times=5]");
  }

  @Test
  void withDefaults_listensOnLoopbackAndCloseFreesThePort() throws Exception {
    Simulator sim = Simulator.withDefaults();
    int port = sim.port();
    assertThat(sim.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + port);
    try (Socket s = new Socket("127.0.0.1", port)) {
      assertThat(s.isConnected()).isTrue();
    }

    sim.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close())
        .isInstanceOf(java.net.ConnectException.class);
    sim.close();
  }

  @Test
  void faultHeader_framingHeaders_areRefused() {
    assertThatThrownBy(() -> Fault.header("Content-Length", "5"))
        .hasMessage("header 'Content-Length' is framing, set by the simulator");
    assertThat(Fault.header("Retry-After", "5")).hasToString("Fault[header retry-after: 5]");
  }

  @Test
  void recordBodiesFalse_keepsTheLogButNotTheBodies() {
    try (Simulator sim = Simulator.builder().preset().recordBodies(false).start()) {
      Api.messages(sim, Simulator.Builder.PRESET_KEYS.get("team-a"),
          Api.body("claude-haiku-4-5", 5, "private prompt"));

      assertThat(sim.calls()).singleElement().satisfies(c -> {
        assertThat(c.body()).isEmpty();
        assertThat(c.status()).isEqualTo(200);
      });
    }
  }
}
