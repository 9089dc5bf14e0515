package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ContentBlock;
import dev.switchboard.spi.MessageResponse;
import dev.switchboard.spi.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseCodecTest {

  @Test
  void decode_roundTripsEveryField() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("city", "Zürich \"old town\"\n\t\\ \u0001 ☃ 🚀");
    input.put("days", 3L);
    input.put("ratio", 0.25);
    input.put("flags", List.of(true, false));
    input.put("none", null);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("container", Map.of("id", "c_1"));
    extra.put("stop_details", List.of(1L, 2.5, "x"));
    MessageResponse response = new MessageResponse("msg_1", "claude-opus-4-1", "assistant",
        List.of(ContentBlock.text("Hello"), ContentBlock.toolUse("tu_1", "weather", input),
            new ContentBlock("thinking", Map.of("thinking", "hmm", "signature", "sig"))),
        "tool_use", null, new Usage(10, 20, 30, 40, 5, 25, "standard"), extra);

    MessageResponse decoded = ResponseCodec.decode(ResponseCodec.encode(response));

    assertThat(decoded).isNotNull();
    assertThat(decoded.id()).isEqualTo("msg_1");
    assertThat(decoded.content()).isEqualTo(response.content());
    assertThat(decoded.usage()).isEqualTo(response.usage());
    assertThat(decoded.extra()).isEqualTo(response.extra());
    assertThat(decoded.stopReason()).isEqualTo("tool_use");
    assertThat(decoded.stopSequence()).isNull();
  }

  @Test
  void encode_isCompactJson() {
    String json = ResponseCodec.encode(TestSupport.response("hi"));

    assertThat(json).startsWith("{\"id\":\"msg_").doesNotContain(" ").contains("\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]");
  }

  @Test
  void decode_malformedInputIsNullNeverAnException() {
    for (String bad : List.of("", "{", "[]", "{\"id\":1}", "null", "{\"id\":\"m\",\"model\":\"x\"}",
        ResponseCodec.encode(TestSupport.response("x")) + "garbage", "{\"a\":\"\\u12\"}",
        "[".repeat(10_000))) {
      assertThat(ResponseCodec.decode(bad)).as(bad.length() > 40 ? bad.substring(0, 40) : bad).isNull();
    }
  }
}
