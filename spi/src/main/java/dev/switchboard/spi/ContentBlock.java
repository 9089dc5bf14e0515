package dev.switchboard.spi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One content block of a message: {@code text}, {@code image}, {@code tool_use},
 * {@code tool_result}, {@code thinking}, or any type the API adds later.
 *
 * <p>The block keeps every field verbatim as a JSON tree (see {@link #fields()}), so blocks the SDK
 * does not model round-trip unchanged; typed accessors cover the fields the router reads.
 *
 * @param type the block's {@code type}
 * @param fields every other field of the block, in wire order, as an unmodifiable JSON tree
 */
public record ContentBlock(String type, Map<String, Object> fields) {

  /** Validates and deep-copies the fields. */
  public ContentBlock {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("content block type must not be blank");
    }
    Map<String, Object> without = new LinkedHashMap<>(fields == null ? Map.of() : fields);
    without.remove("type");
    fields = Json.freezeObject(without, "$." + type);
  }

  /** Returns a {@code text} block. */
  public static ContentBlock text(String text) {
    Objects.requireNonNull(text, "text");
    return new ContentBlock("text", Map.of("text", text));
  }

  /** Returns a {@code tool_use} block. */
  public static ContentBlock toolUse(String id, String name, Map<String, Object> input) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("id", id);
    f.put("name", name);
    f.put("input", input == null ? Map.of() : input);
    return new ContentBlock("tool_use", f);
  }

  /** Returns a block from a whole wire object, whose {@code type} field is required. */
  public static ContentBlock fromJson(Map<String, Object> json) {
    Object type = json.get("type");
    if (!(type instanceof String s)) {
      throw new IllegalArgumentException("content block has no string 'type': " + json.keySet());
    }
    return new ContentBlock(s, json);
  }

  /** Returns the whole wire object: {@code type} first, then the fields. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("type", type);
    json.putAll(fields);
    return json;
  }

  /** Returns the text of a {@code text} block (or the {@code thinking} of a thinking block), else "". */
  public String text() {
    Object t = fields.get("text");
    if (t == null) {
      t = fields.get("thinking");
    }
    return t instanceof String s ? s : "";
  }

  /** Returns the string field {@code name}, or null when absent or not a string. */
  public String string(String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  /** Returns true when the block carries a {@code cache_control} breakpoint. */
  public boolean hasCacheControl() {
    return fields.get("cache_control") != null;
  }

  /** Returns a copy of a list of blocks, rejecting nulls. */
  static List<ContentBlock> copyOf(List<ContentBlock> blocks, String what) {
    Objects.requireNonNull(blocks, what);
    for (int i = 0; i < blocks.size(); i++) {
      if (blocks.get(i) == null) {
        throw new NullPointerException(what + "[" + i + "] is null");
      }
    }
    return List.copyOf(blocks);
  }
}
