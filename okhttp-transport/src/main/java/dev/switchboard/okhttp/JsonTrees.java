package dev.switchboard.okhttp;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Reads and writes the plain-Java JSON trees the SPI uses (insertion-ordered maps, lists,
 * strings, numbers, booleans, null) with Moshi's streaming reader and writer.
 *
 * <p>Unlike {@link JsonReader#readJsonValue()}, integers stay integers ({@code Long}, or
 * {@code BigDecimal} beyond the long range) so that a value read from the wire is written back
 * byte for byte; only numbers with a fraction or exponent become {@code Double}.
 */
final class JsonTrees {
  private JsonTrees() {}

  /**
   * Parses one complete JSON document.
   *
   * @throws IOException with Moshi's JSON path when the text is not one JSON value
   */
  static Object parse(String json) throws IOException {
    return parse(new Buffer().writeUtf8(json));
  }

  /** Parses one complete JSON document from {@code source}. */
  static Object parse(BufferedSource source) throws IOException {
    JsonReader reader = JsonReader.of(source);
    try {
      Object value = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new IOException("unexpected content after the JSON value at path " + reader.getPath());
      }
      return value;
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains(" path ")) {
        throw e;
      }
      throw new IOException(message + " at path " + reader.getPath(), e);
    }
  }

  /** Reads the next value of {@code reader} as a tree. */
  static Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          map.put(name, read(reader));
        }
        reader.endObject();
        return map;
      }
      case BEGIN_ARRAY: {
        List<Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          list.add(read(reader));
        }
        reader.endArray();
        return list;
      }
      case STRING:
        return reader.nextString();
      case NUMBER:
        return number(reader.nextString());
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        return reader.nextNull();
      default:
        throw new IOException("expected a JSON value but was " + reader.peek() + " at path "
            + reader.getPath());
    }
  }

  private static Number number(String text) {
    boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
    if (integral) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return new BigDecimal(text);
      }
    }
    return Double.parseDouble(text);
  }

  /** Writes a tree; {@code null}s inside it are written, never dropped. */
  static void write(JsonWriter writer, Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof Map<?, ?> map) {
      writer.beginObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        writer.name(String.valueOf(e.getKey()));
        write(writer, e.getValue());
      }
      writer.endObject();
    } else if (value instanceof List<?> list) {
      writer.beginArray();
      for (Object item : list) {
        write(writer, item);
      }
      writer.endArray();
    } else if (value instanceof String s) {
      writer.value(s);
    } else if (value instanceof Boolean b) {
      writer.value(b.booleanValue());
    } else if (value instanceof Long || value instanceof Integer || value instanceof Short
        || value instanceof Byte) {
      writer.value(((Number) value).longValue());
    } else if (value instanceof Number n) {
      writer.value(n);
    } else {
      throw new IllegalArgumentException("not a JSON value at path " + writer.getPath() + ": a "
          + value.getClass().getName());
    }
  }
}
