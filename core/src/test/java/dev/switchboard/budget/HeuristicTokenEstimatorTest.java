package dev.switchboard.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.MessageRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeuristicTokenEstimatorTest {
  private final HeuristicTokenEstimator estimator = HeuristicTokenEstimator.INSTANCE;

  @Test
  void estimateInputTokens_countsCharactersOverThreeAndAHalfPlusOverhead() {
    MessageRequest r = MessageRequest.builder().model("m").maxTokens(1)
        .addUserMessage("x".repeat(700)).build();
    // 700 text chars + "text" (4) + "text" key (4) = 708 chars → ceil(708/3.5) = 203; + 10 + 4
    assertThat(estimator.estimateInputTokens(r)).isEqualTo(217);
  }

  @Test
  void estimateInputTokens_includesSystemAndTools() {
    MessageRequest base = MessageRequest.builder().model("m").maxTokens(1).addUserMessage("hi").build();
    MessageRequest more = base.toBuilder().system("s".repeat(350))
        .tools(List.of(Map.of("name", "get_weather", "description", "d".repeat(350)))).build();
    assertThat(estimator.estimateInputTokens(more) - estimator.estimateInputTokens(base))
        .isBetween(200L, 215L);
  }

  @Test
  void estimateInputTokens_isAtLeastOne() {
    MessageRequest r = MessageRequest.builder().model("m").maxTokens(1).addUserMessage("").build();
    assertThat(estimator.estimateInputTokens(r)).isPositive();
  }
}
