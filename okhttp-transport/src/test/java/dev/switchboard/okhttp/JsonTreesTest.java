package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class JsonTreesTest {

  private static String roundTrip(String json) throws IOException {
    Buffer out = new Buffer();
    try (JsonWriter w = JsonWriter.of(out)) {
      JsonTrees.write(w, JsonTrees.parse(json));
    }
    return out.readUtf8();
  }

  @Test
  void parse_keepsIntegersIntegralAndFractionsDouble() throws IOException {
    Object tree = JsonTrees.parse("{\"n\":3,\"big\":123456789012345678901234,\"f\":0.5,\"e\":1e3}");

    assertThat(tree).isEqualTo(Map.of("n", 3L, "big", new BigDecimal("123456789012345678901234"),
        "f", 0.5, "e", 1000.0));
  }

  @Test
  void writeOfParse_isByteForByteForCompactJson() throws IOException {
    String json = "{\"a\":[1,-2,3.25,true,false,null,\"x\\\"y\"],\"b\":{\"c\":{}},\"d\":[],"
        + "\"big\":123456789012345678901234}";

    assertThat(roundTrip(json)).isEqualTo(json);
  }

  @Test
  void parse_rejectsTrailingContentAndNamesThePath() {
    assertThatThrownBy(() -> JsonTrees.parse("{\"a\":1} {"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("path");
    assertThatThrownBy(() -> JsonTrees.parse("{\"a\":[1,2"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("$.a[");
  }

  @Test
  void write_rejectsNonJsonValuesNamingThePath() {
    assertThatThrownBy(() -> {
      try (JsonWriter w = JsonWriter.of(new Buffer())) {
        JsonTrees.write(w, Map.of("k", List.of(new Object())));
      }
    }).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not a JSON value at path $.k[0]");
  }
}
