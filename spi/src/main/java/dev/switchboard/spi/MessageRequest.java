package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An immutable {@code POST /v1/messages} request body.
 *
 * <p>The fields the router reads are typed; every other top-level field ({@code service_tier},
 * {@code output_config}, {@code container}, a field the API adds tomorrow) is kept verbatim in
 * {@link #extra()} and sent as given, so callers can use API features Switchboard does not model.
 * Build one with {@link #builder()}; derive a variant with {@link #toBuilder()} or
 * {@link #withModel(String)}.
 */
public final class MessageRequest {
  /** The top-level field names this class types; everything else goes to {@link #extra()}. */
  public static final Set<String> TYPED_FIELDS = Set.of(
      "model", "max_tokens", "messages", "system", "stream", "temperature", "top_p", "top_k",
      "stop_sequences", "tools", "tool_choice", "metadata", "thinking");

  private final String model;
  private final int maxTokens;
  private final List<Message> messages;
  private final List<ContentBlock> system;
  private final boolean stream;
  private final Double temperature;
  private final Double topP;
  private final Integer topK;
  private final List<String> stopSequences;
  private final List<Map<String, Object>> tools;
  private final Map<String, Object> toolChoice;
  private final Map<String, Object> metadata;
  private final Map<String, Object> thinking;
  private final Map<String, Object> extra;

  private MessageRequest(Builder b) {
    this.model = b.model;
    this.maxTokens = b.maxTokens;
    this.messages = List.copyOf(b.messages);
    this.system = List.copyOf(b.system);
    this.stream = b.stream;
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.topK = b.topK;
    this.stopSequences = List.copyOf(b.stopSequences);
    List<Map<String, Object>> t = new ArrayList<>();
    for (int i = 0; i < b.tools.size(); i++) {
      t.add(Json.freezeObject(b.tools.get(i), "$.tools[" + i + "]"));
    }
    this.tools = List.copyOf(t);
    this.toolChoice = b.toolChoice == null ? null : Json.freezeObject(b.toolChoice, "$.tool_choice");
    this.metadata = b.metadata == null ? null : Json.freezeObject(b.metadata, "$.metadata");
    this.thinking = b.thinking == null ? null : Json.freezeObject(b.thinking, "$.thinking");
    this.extra = Json.freezeObject(b.extra, "$");
  }

  /** Returns a new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding this request's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns this request for another model (a fallback tier); everything else is unchanged. */
  public MessageRequest withModel(String model) {
    Objects.requireNonNull(model, "model");
    return model.equals(this.model) ? this : toBuilder().model(model).build();
  }

  /** Returns this request with {@code stream} set as given. */
  public MessageRequest withStream(boolean stream) {
    return stream == this.stream ? this : toBuilder().stream(stream).build();
  }

  public String model() { return model; }

  public int maxTokens() { return maxTokens; }

  public List<Message> messages() { return messages; }

  /** Returns the system prompt blocks; empty when there is none. */
  public List<ContentBlock> system() { return system; }

  public boolean stream() { return stream; }

  public OptionalDouble temperature() {
    return temperature == null ? OptionalDouble.empty() : OptionalDouble.of(temperature);
  }

  public OptionalDouble topP() {
    return topP == null ? OptionalDouble.empty() : OptionalDouble.of(topP);
  }

  public OptionalInt topK() {
    return topK == null ? OptionalInt.empty() : OptionalInt.of(topK);
  }

  public List<String> stopSequences() { return stopSequences; }

  /** Returns the tool definitions, each verbatim. */
  public List<Map<String, Object>> tools() { return tools; }

  /** Returns {@code tool_choice}, or null. */
  public Map<String, Object> toolChoice() { return toolChoice; }

  /** Returns {@code metadata}, or null. */
  public Map<String, Object> metadata() { return metadata; }

  /** Returns {@code thinking}, or null. */
  public Map<String, Object> thinking() { return thinking; }

  /** Returns every top-level field this class does not type, verbatim and in order. */
  public Map<String, Object> extra() { return extra; }

  /** Returns {@code metadata.user_id}, or null. */
  public String metadataUserId() {
    return metadata != null && metadata.get("user_id") instanceof String s ? s : null;
  }

  /**
   * Returns true when the request asks for prompt caching: a top-level {@code cache_control}, or a
   * {@code cache_control} on a system block, message block or tool.
   */
  public boolean usesPromptCache() {
    if (extra.get("cache_control") != null) {
      return true;
    }
    for (ContentBlock b : system) {
      if (b.hasCacheControl()) {
        return true;
      }
    }
    for (Message m : messages) {
      for (ContentBlock b : m.content()) {
        if (b.hasCacheControl()) {
          return true;
        }
      }
    }
    for (Map<String, Object> t : tools) {
      if (t.get("cache_control") != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageRequest r
        && model.equals(r.model) && maxTokens == r.maxTokens && stream == r.stream
        && messages.equals(r.messages) && system.equals(r.system)
        && Objects.equals(temperature, r.temperature) && Objects.equals(topP, r.topP)
        && Objects.equals(topK, r.topK) && stopSequences.equals(r.stopSequences)
        && tools.equals(r.tools) && Objects.equals(toolChoice, r.toolChoice)
        && Objects.equals(metadata, r.metadata) && Objects.equals(thinking, r.thinking)
        && extra.equals(r.extra);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, maxTokens, stream, messages, system, temperature, topP, topK,
        stopSequences, tools, toolChoice, metadata, thinking, extra);
  }

  /** Returns a short description: model, max_tokens, turn count; never message text. */
  @Override
  public String toString() {
    return "MessageRequest[model=" + model + ", max_tokens=" + maxTokens + ", messages="
        + messages.size() + (stream ? ", stream" : "") + "]";
  }

  /** Builds {@link MessageRequest}s. Setters validate at once; {@link #build()} checks the rest. */
  public static final class Builder {
    private String model;
    private int maxTokens = -1;
    private final List<Message> messages = new ArrayList<>();
    private final List<ContentBlock> system = new ArrayList<>();
    private boolean stream;
    private Double temperature;
    private Double topP;
    private Integer topK;
    private final List<String> stopSequences = new ArrayList<>();
    private final List<Map<String, Object>> tools = new ArrayList<>();
    private Map<String, Object> toolChoice;
    private Map<String, Object> metadata;
    private Map<String, Object> thinking;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    private Builder() {}

    private Builder(MessageRequest r) {
      model = r.model;
      maxTokens = r.maxTokens;
      messages.addAll(r.messages);
      system.addAll(r.system);
      stream = r.stream;
      temperature = r.temperature;
      topP = r.topP;
      topK = r.topK;
      stopSequences.addAll(r.stopSequences);
      tools.addAll(r.tools);
      toolChoice = r.toolChoice;
      metadata = r.metadata;
      thinking = r.thinking;
      extra.putAll(r.extra);
    }

    public Builder model(String model) {
      Objects.requireNonNull(model, "model");
      if (model.isBlank()) {
        throw new IllegalArgumentException("model must not be blank");
      }
      this.model = model;
      return this;
    }

    /** Sets {@code max_tokens}; 0 is allowed (prompt-cache pre-warming). */
    public Builder maxTokens(int maxTokens) {
      if (maxTokens < 0) {
        throw new IllegalArgumentException("max_tokens must be >= 0 but was " + maxTokens);
      }
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder addMessage(Message message) {
      messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Appends a user turn with one text block. */
    public Builder addUserMessage(String text) {
      return addMessage(Message.user(text));
    }

    /** Appends an assistant turn with one text block. */
    public Builder addAssistantMessage(String text) {
      return addMessage(Message.assistant(text));
    }

    /** Replaces the messages. */
    public Builder messages(List<Message> messages) {
      this.messages.clear();
      for (Message m : messages) {
        addMessage(m);
      }
      return this;
    }

    /** Sets the system prompt to one text block. */
    public Builder system(String text) {
      system.clear();
      system.add(ContentBlock.text(text));
      return this;
    }

    /** Sets the system prompt blocks. */
    public Builder systemBlocks(List<ContentBlock> blocks) {
      system.clear();
      system.addAll(ContentBlock.copyOf(blocks, "system"));
      return this;
    }

    public Builder stream(boolean stream) {
      this.stream = stream;
      return this;
    }

    /** Sets {@code temperature}, in 0.0–1.0; null removes it. */
    public Builder temperature(Double temperature) {
      if (temperature != null && !(temperature >= 0.0 && temperature <= 1.0)) {
        throw new IllegalArgumentException("temperature must be in [0.0, 1.0] but was " + temperature);
      }
      this.temperature = temperature;
      return this;
    }

    /** Sets {@code top_p}, in 0.0–1.0; null removes it. */
    public Builder topP(Double topP) {
      if (topP != null && !(topP >= 0.0 && topP <= 1.0)) {
        throw new IllegalArgumentException("top_p must be in [0.0, 1.0] but was " + topP);
      }
      this.topP = topP;
      return this;
    }

    /** Sets {@code top_k}, positive; null removes it. */
    public Builder topK(Integer topK) {
      if (topK != null && topK < 1) {
        throw new IllegalArgumentException("top_k must be >= 1 but was " + topK);
      }
      this.topK = topK;
      return this;
    }

    public Builder stopSequences(List<String> stopSequences) {
      this.stopSequences.clear();
      this.stopSequences.addAll(List.copyOf(stopSequences));
      return this;
    }

    /** Replaces the tool definitions; each is kept verbatim. */
    public Builder tools(List<Map<String, Object>> tools) {
      this.tools.clear();
      this.tools.addAll(List.copyOf(tools));
      return this;
    }

    public Builder toolChoice(Map<String, Object> toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    public Builder metadata(Map<String, Object> metadata) {
      this.metadata = metadata;
      return this;
    }

    /** Sets {@code metadata.user_id}, keeping other metadata fields. */
    public Builder metadataUserId(String userId) {
      Map<String, Object> m = new LinkedHashMap<>(metadata == null ? Map.of() : metadata);
      if (userId == null) {
        m.remove("user_id");
      } else {
        m.put("user_id", userId);
      }
      this.metadata = m;
      return this;
    }

    public Builder thinking(Map<String, Object> thinking) {
      this.thinking = thinking;
      return this;
    }

    /**
     * Sets a top-level field by its wire name. A typed field's name is rejected: use its setter,
     * so that one request cannot hold two values for one field.
     */
    public Builder putExtra(String name, Object value) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("extra field name must not be blank");
      }
      if (TYPED_FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "'" + name + "' is a typed field of MessageRequest: use its setter, not putExtra");
      }
      extra.put(name, Json.freeze(value, "$." + name));
      return this;
    }

    /** Removes a top-level field set with {@link #putExtra}. */
    public Builder removeExtra(String name) {
      extra.remove(name);
      return this;
    }

    /**
     * Returns the request. Does not change this builder, so it can be called again.
     *
     * @throws IllegalStateException if model, max_tokens or messages is missing
     */
    public MessageRequest build() {
      if (model == null) {
        throw new IllegalStateException("model is required");
      }
      if (maxTokens < 0) {
        throw new IllegalStateException("max_tokens is required");
      }
      if (messages.isEmpty()) {
        throw new IllegalStateException("messages must not be empty");
      }
      return new MessageRequest(this);
    }
  }
}
