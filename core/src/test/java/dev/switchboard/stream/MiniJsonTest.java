package dev.switchboard.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {

  @Test
  void parse_readsEveryKindOfValue() {
    Object v = MiniJson.parse(
        " {\"s\":\"a\\\"b\\\\c\\n\\u00e9\",\"i\":-42,\"f\":1.5e2,\"t\":true,\"n\":null,"
            + "\"a\":[1,[],{}],\"o\":{\"x\":false}} ");

    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("s", "a\"b\\c\né");
    expected.put("i", -42L);
    expected.put("f", 150.0);
    expected.put("t", true);
    expected.put("n", null);
    expected.put("a", List.of(1L, List.of(), Map.of()));
    expected.put("o", Map.of("x", false));
    assertThat(v).isEqualTo(expected);
    assertThat(List.<Object>copyOf(((Map<?, ?>) v).keySet())).containsExactly("s", "i", "f", "t", "n", "a", "o");
  }

  @Test
  void parse_keepsHugeIntegersExact() {
    assertThat(MiniJson.parse("123456789012345678901234567890"))
        .isEqualTo(new BigInteger("123456789012345678901234567890"));
  }

  @Test
  void parse_rejectsMalformedTextNamingTheOffset() {
    assertThatThrownBy(() -> MiniJson.parse("{\"a\":1,}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("malformed JSON at offset 7: expected a string key");
    assertThatThrownBy(() -> MiniJson.parse("{\"a\": "))
        .hasMessage("malformed JSON at offset 6: unexpected end of input");
    assertThatThrownBy(() -> MiniJson.parse("[1] x"))
        .hasMessage("malformed JSON at offset 4: unexpected trailing text");
    assertThatThrownBy(() -> MiniJson.parse("\"\\q\""))
        .hasMessage("malformed JSON at offset 2: bad escape '\\q'");
    assertThatThrownBy(() -> MiniJson.parse("-"))
        .hasMessage("malformed JSON at offset 1: expected a digit");
    assertThatThrownBy(() -> MiniJson.parse("nul"))
        .hasMessage("malformed JSON at offset 0: unexpected token");
  }

  @Test
  void parse_rejectsNestingBeyondTheLimit() {
    char[] open = new char[600];
    Arrays.fill(open, '[');
    assertThatThrownBy(() -> MiniJson.parse(new String(open)))
        .hasMessageContaining("nesting deeper than 512");
  }
}
