package dev.switchboard.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulated API: authentication, validation, faults, rate limits, caching and the answers.
 * One instance serves all connections; per-request state lives in {@link Call}.
 */
final class ApiHandler implements SimServer.Handler {
  static final String MESSAGES = "/v1/messages";
  static final String COUNT_TOKENS = "/v1/messages/count_tokens";
  private static final String RATE_LIMIT_DOCS = "For details, refer to: "
      + "https://docs.claude.com/en/api/rate-limits. You can see the response headers for current "
      + "usage. Please reduce the prompt length or the maximum tokens requested, or try again later. "
      + "You may also contact sales at https://www.anthropic.com/contact-sales to discuss your "
      + "options for a rate limit increase.";
  private static final String HTML_413 = "<html>\r\n<head><title>413 Request Entity Too Large</title>"
      + "</head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>"
      + "cloudflare</center>\r\n</body>\r\n</html>\r\n";
  private static final String HTML_502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
      + "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
      + "</body>\r\n</html>\r\n";

  /** An answer other than 200, decided before any byte was written. */
  static final class Rejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String type;
    final Map<String, Object> details;
    final long retryAfterSeconds;

    Rejection(int status, String type, String message) {
      this(status, type, message, null, -1);
    }

    Rejection(int status, String type, String message, Map<String, Object> details,
        long retryAfterSeconds) {
      super(message, null, false, false);
      this.status = status;
      this.type = type;
      this.details = details;
      this.retryAfterSeconds = retryAfterSeconds;
    }
  }

  private final Simulator sim;
  private final AtomicLong ids = new AtomicLong();

  ApiHandler(Simulator sim) {
    this.sim = sim;
  }

  /** Per-request state. */
  private final class Call {
    final SimServer.Exchange ex;
    final CallLog.Entry entry;
    final String requestId;
    KeyEntry key;
    ModelSpec model;
    Map<String, Object> body;
    Faults.Selection faults = Faults.Selection.NONE;

    Call(SimServer.Exchange ex, CallLog.Entry entry, String requestId) {
      this.ex = ex;
      this.entry = entry;
      this.requestId = requestId;
    }

    /** The headers every answer carries: request id, and for a known key its organization and limits. */
    Map<String, String> headers(boolean countTokens) {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("request-id", requestId);
      if (key != null && key.state != Simulator.KeyState.REVOKED) {
        h.put("anthropic-organization-id", sim.organizationIds.get(key.organization));
        if (model != null) {
          RateLimiter.Snapshot s = sim.limiter.pool(key.organization, model.pool())
              .snapshot(sim.limiter.now());
          RateLimiter.Dimension requests = countTokens
              ? sim.limiter.countTokensPool(key.organization).snapshot(sim.limiter.now()).requests()
              : s.requests();
          rateLimitHeaders(h, requests, s.input(), s.output());
        }
      }
      for (Fault f : faults.headers()) {
        h.put(f.headerName, f.headerValue);
      }
      return h;
    }
  }

  @Override
  public void handle(SimServer.Exchange ex) throws IOException {
    long seq = ids.incrementAndGet();
    String requestId = "req_" + Replies.id(seq, 0x5bd1e995L);
    Map<String, String> safe = new LinkedHashMap<>(ex.headers);
    safe.remove("x-api-key");
    safe.remove("authorization");
    CallLog.Entry entry = sim.log.add(sim.clock.instant(), ex.method, ex.path, safe,
        ex.body.tooLarge() || !sim.recordBodies ? "" : ex.body.text());
    Call call = new Call(ex, entry, requestId);
    try {
      route(call);
    } catch (Rejection r) {
      reject(call, r);
    } catch (RuntimeException bug) {
      // A simulator defect must still answer like the API would, never hang the client.
      if (ex.headersSent) {
        throw bug;
      }
      reject(call, new Rejection(500, "api_error", "Internal server error (simulator: "
          + bug.getClass().getSimpleName() + ")"));
    }
  }

  private void route(Call c) throws IOException {
    SimServer.Exchange ex = c.ex;
    if (ex.body.tooLarge()) {
      tooLarge(c);
      return;
    }
    c.key = resolveKey(ex);
    Object parsed = null;
    IOException parseError = null;
    RuntimeException parseFailure = null;
    try {
      parsed = ex.body.text().isEmpty() ? null : Wire.parse(ex.body.text());
    } catch (IOException e) {
      parseError = e;
    } catch (RuntimeException e) {
      parseFailure = e;
    }
    if (parsed instanceof Map<?, ?> m) {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = (Map<String, Object>) m;
      c.body = body;
      Object model = body.get("model");
      boolean stream = Boolean.TRUE.equals(body.get("stream"));
      sim.log.update(c.entry, e -> {
        e.model = model instanceof String s ? s : null;
        e.stream = stream;
      });
      if (model instanceof String s) {
        c.model = sim.models.get(s);
      }
    }
    KeyEntry key = c.key;
    sim.log.update(c.entry, e -> {
      e.keyLabel = key == null ? null : key.label;
      e.organization = key == null ? null : key.organization;
    });
    if (key == null || key.state == Simulator.KeyState.REVOKED) {
      throw new Rejection(401, "authentication_error", "invalid x-api-key");
    }
    Simulator.KeyState state = key.state;
    if (state == Simulator.KeyState.ACTIVE && sim.spendCapped.contains(key.organization)) {
      state = Simulator.KeyState.SPEND_CAPPED;
    }
    switch (state) {
      case FORBIDDEN -> throw new Rejection(403, "permission_error",
          "Your API key does not have permission to use the specified resource.");
      case BILLING -> throw new Rejection(402, "billing_error",
          "Your account has a billing issue. Please visit Plans & Billing to resolve it.");
      case SPEND_CAPPED -> throw new Rejection(429, "rate_limit_error", spendCapMessage(),
          Wire.obj("error_code", "enforced_spend_limit_reached"), -1);
      case LOW_CREDIT -> throw new Rejection(400, "invalid_request_error",
          "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing "
              + "to upgrade or purchase credits.");
      default -> { }
    }
    boolean messages = MESSAGES.equals(ex.path);
    boolean count = COUNT_TOKENS.equals(ex.path);
    if (!messages && !count) {
      throw new Rejection(404, "not_found_error", "Not found");
    }
    if (!"POST".equals(ex.method)) {
      throw new Rejection(405, "invalid_request_error",
          "Method " + ex.method + " not allowed for " + ex.path);
    }
    String version = ex.header("anthropic-version");
    if (version == null || version.isBlank()) {
      throw new Rejection(400, "invalid_request_error", "anthropic-version: header is required");
    }
    if (!sim.versions.contains(version)) {
      throw new Rejection(400, "invalid_request_error",
          "anthropic-version: invalid version '" + version + "'; supported: " + sim.versions);
    }
    String beta = ex.header("anthropic-beta");
    if (beta != null && !sim.anyBeta) {
      for (String name : beta.split(",")) {
        String n = name.trim();
        if (!n.isEmpty() && !sim.betas.contains(n)) {
          throw new Rejection(400, "invalid_request_error", "Unsupported beta header: " + n);
        }
      }
    }
    if (parseError != null || parseFailure != null || parsed == null) {
      String why = parsed == null && parseError == null && parseFailure == null
          ? "the body is empty"
          : (parseError != null ? parseError.getMessage() : parseFailure.getMessage());
      throw new Rejection(400, "invalid_request_error",
          "There was an error parsing the body of your request: " + why);
    }
    if (c.body == null) {
      throw new Rejection(400, "invalid_request_error",
          "The request body must be a JSON object but was " + kind(parsed));
    }
    validate(c.body, messages);
    String modelId = (String) c.body.get("model");
    if (c.model == null) {
      throw new Rejection(404, "not_found_error", "model: " + modelId);
    }
    for (String field : sim.rejectedParameters.getOrDefault(modelId, java.util.Set.of())) {
      if (c.body.containsKey(field)) {
        throw invalid("`" + field + "` is deprecated for this model.");
      }
    }
    if (count) {
      countTokens(c);
    } else {
      messages(c);
    }
  }

  private KeyEntry resolveKey(SimServer.Exchange ex) {
    String secret = ex.header("x-api-key");
    if (secret == null) {
      String auth = ex.header("authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        secret = auth.substring(7).trim();
      }
    }
    return secret == null ? null : sim.keysBySecret.get(secret.trim());
  }

  private static void validate(Map<String, Object> body, boolean messages) {
    Object model = body.get("model");
    if (model == null) {
      throw invalid("model: Field required");
    }
    if (!(model instanceof String)) {
      throw invalid("model: Input should be a valid string");
    }
    if (messages) {
      Object max = body.get("max_tokens");
      if (max == null) {
        throw invalid("max_tokens: Field required");
      }
      if (!(max instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
          || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
        throw invalid("max_tokens: Input should be a valid integer");
      }
      if (n.doubleValue() < 0) {
        throw invalid("max_tokens: Input should be greater than or equal to 0");
      }
      Object stream = body.get("stream");
      if (stream != null && !(stream instanceof Boolean)) {
        throw invalid("stream: Input should be a valid boolean");
      }
    }
    Object msgs = body.get("messages");
    if (msgs == null) {
      throw invalid("messages: Field required");
    }
    if (!(msgs instanceof List<?> list)) {
      throw invalid("messages: Input should be a valid list");
    }
    if (list.isEmpty()) {
      throw invalid("messages: at least one message is required");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof Map<?, ?> m)) {
        throw invalid("messages." + i + ": Input should be a valid dictionary");
      }
      Object role = m.get("role");
      if (!"user".equals(role) && !"assistant".equals(role)) {
        throw invalid("messages." + i + ".role: Input should be 'user' or 'assistant'");
      }
      Object content = m.get("content");
      if (content == null) {
        throw invalid("messages." + i + ".content: Field required");
      }
      if (content instanceof List<?> blocks) {
        for (int j = 0; j < blocks.size(); j++) {
          if (!(blocks.get(j) instanceof Map<?, ?> b) || !(b.get("type") instanceof String)) {
            throw invalid("messages." + i + ".content." + j + ".type: Field required");
          }
        }
      } else if (!(content instanceof String)) {
        throw invalid("messages." + i + ".content: Input should be a valid string or list");
      }
    }
    Object system = body.get("system");
    if (system != null && !(system instanceof String) && !(system instanceof List<?>)) {
      throw invalid("system: Input should be a valid string or list");
    }
    Object tools = body.get("tools");
    if (tools != null && !(tools instanceof List<?>)) {
      throw invalid("tools: Input should be a valid list");
    }
    Object thinking = body.get("thinking");
    if (thinking != null) {
      Object type = thinking instanceof Map<?, ?> t ? t.get("type") : null;
      if (!"enabled".equals(type) && !"adaptive".equals(type) && !"disabled".equals(type)) {
        throw invalid("thinking.type: Input should be 'enabled', 'adaptive' or 'disabled'");
      }
      if ("enabled".equals(type)) {
        Object budget = ((Map<?, ?>) thinking).get("budget_tokens");
        if (!(budget instanceof Number b) || b.doubleValue() != Math.rint(b.doubleValue())) {
          throw invalid("thinking.enabled.budget_tokens: Field required");
        }
        if (b.doubleValue() < 1024) {
          throw invalid("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
        }
        if (messages && ((Number) body.get("max_tokens")).doubleValue() <= b.doubleValue()) {
          throw invalid("`max_tokens` must be greater than `thinking.budget_tokens`");
        }
      }
    }
    Object stops = body.get("stop_sequences");
    if (stops != null && (!(stops instanceof List<?> list2)
        || !list2.stream().allMatch(x -> x instanceof String))) {
      throw invalid("stop_sequences: Input should be a valid list of strings");
    }
    Object metadata = body.get("metadata");
    if (metadata != null) {
      if (!(metadata instanceof Map<?, ?> md)) {
        throw invalid("metadata: Input should be a valid dictionary");
      }
      Object user = md.get("user_id");
      if (user != null && !(user instanceof String)) {
        throw invalid("metadata.user_id: Input should be a valid string");
      }
    }
  }

  private static Rejection invalid(String message) {
    return new Rejection(400, "invalid_request_error", message);
  }

  // ------------------------------------------------------------------ count_tokens

  private void countTokens(Call c) throws IOException {
    long total = 0;
    for (PromptCache.Segment s : PromptCache.segments(c.body)) {
      total += s.tokens();
    }
    RateLimiter.Pool pool = sim.limiter.countTokensPool(c.key.organization);
    RateLimiter.Admission a = pool.tryAdmit(sim.limiter.now(), 0, 0, true);
    if (!a.admitted()) {
      throw new Rejection(429, "rate_limit_error", rateLimitMessage(c, a), null,
          a.retryAfterSeconds());
    }
    long n = total;
    byte[] out = Wire.json(Wire.obj("input_tokens", n)).getBytes(StandardCharsets.UTF_8);
    Map<String, String> h = c.headers(true);
    sim.log.update(c.entry, e -> {
      e.status = 200;
      e.inputTokens = n;
      e.requestId = c.requestId;
      e.completed = true;
    });
    write(c, () -> c.ex.respond(200, h, out, "application/json"));
  }

  // ------------------------------------------------------------------ messages

  private void messages(Call c) throws IOException {
    Map<String, Object> body = c.body;
    ModelSpec model = c.model;
    int maxTokens = ((Number) body.get("max_tokens")).intValue();
    boolean stream = Boolean.TRUE.equals(body.get("stream"));
    if (maxTokens > model.maxOutputTokens()) {
      throw invalid("max_tokens: " + maxTokens + " > " + model.maxOutputTokens()
          + ", which is the maximum allowed number of output tokens for " + model.id());
    }
    String org = c.key.organization;
    List<PromptCache.Segment> segments = PromptCache.segments(body);
    PromptCache.Plan plan = sim.cache.plan(org, model.id(), segments, sim.limiter.now());
    if (plan.totalTokens() > model.contextWindow()) {
      throw invalid("prompt is too long: " + plan.totalTokens() + " tokens > "
          + model.contextWindow() + " maximum");
    }
    c.faults = sim.faults.select(model.id(), c.key.label, org, stream);
    if (!c.faults.isEmpty()) {
      String label = c.faults.label();
      sim.log.update(c.entry, e -> e.fault = label);
    }
    long latency = 0;
    for (Fault f : c.faults.latencies()) {
      long min = f.minDelay.toNanos();
      long max = f.maxDelay.toNanos();
      latency += max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min;
    }
    Fault response = c.faults.response();
    if (response != null && response.kind == Fault.Kind.STALL_BEFORE_HEADERS) {
      latency += response.minDelay.toNanos();
    }
    if (latency > 0 && c.ex.awaitDisconnect(latency)) {
      disconnected(c, 0);
      c.ex.abort(false);
      return;
    }
    if (response != null) {
      switch (response.kind) {
        case RESET_BEFORE_HEADERS -> {
          sim.log.update(c.entry, e -> e.completed = true);
          c.ex.abort(true);
          return;
        }
        case HTML_RESPONSE -> {
          Map<String, String> h = c.headers(false);
          byte[] html = HTML_502.getBytes(StandardCharsets.UTF_8);
          finish(c, response.status, null);
          write(c, () -> c.ex.respond(response.status, h, html, "text/html"));
          return;
        }
        case ERROR_RESPONSE -> {
          Rejection r = new Rejection(response.status, response.errorType, response.message, null,
              "retry-after".equals(response.headerName) ? Long.parseLong(response.headerValue) : -1);
          reject(c, r);
          return;
        }
        default -> { }
      }
    }
    Replies.Reply reply = reply(body, model, maxTokens, c.entry.sequence);
    RateLimiter.Pool pool = sim.limiter.pool(org, model.pool());
    boolean reserve = sim.otpmMode == Simulator.OtpmMode.RESERVE_MAX_TOKENS;
    long inputCharge = plan.inputTokens() + plan.creationTokens();
    RateLimiter.Admission a = pool.tryAdmit(sim.limiter.now(), inputCharge,
        reserve ? maxTokens : 1, reserve);
    if (!a.admitted()) {
      throw new Rejection(429, "rate_limit_error", rateLimitMessage(c, a), null,
          a.retryAfterSeconds());
    }
    sim.cache.commit(plan, sim.limiter.now());
    if (stream) {
      Fault streamFault = sim.faults.selectStream(model.id(), c.key.label, org);
      if (streamFault != null) {
        c.faults = c.faults.withStream(streamFault);
        String label = c.faults.label();
        sim.log.update(c.entry, e -> e.fault = label);
      }
    }
    Settlement settlement = new Settlement(pool, reserve, maxTokens);
    try {
      if (stream) {
        stream(c, plan, reply, settlement);
      } else {
        settlement.produced(reply.outputTokens());
        Map<String, Object> message = message(reply, model, plan, true, reply.stopReason(),
            reply.outputTokens());
        byte[] out = Wire.json(message).getBytes(StandardCharsets.UTF_8);
        settlement.settle();
        Map<String, String> h = c.headers(false);
        sim.log.update(c.entry, e -> {
          e.status = 200;
          e.requestId = c.requestId;
          usage(e, plan, reply.outputTokens());
          e.completed = true;
        });
        write(c, () -> c.ex.respond(200, h, out, "application/json"));
      }
    } finally {
      settlement.settle();
    }
  }

  /** Charges output tokens once, whatever way the call ends. */
  private final class Settlement {
    final RateLimiter.Pool pool;
    final boolean reserve;
    final long reserved;
    long produced;
    boolean settled;

    Settlement(RateLimiter.Pool pool, boolean reserve, long reserved) {
      this.pool = pool;
      this.reserve = reserve;
      this.reserved = reserved;
    }

    void produced(long tokens) {
      produced += tokens;
      if (!reserve) {
        pool.debitOutput(sim.limiter.now(), tokens);
      }
    }

    void settle() {
      if (settled) {
        return;
      }
      settled = true;
      if (reserve && reserved > produced) {
        pool.refundOutput(sim.limiter.now(), reserved - produced);
      }
    }
  }

  private void stream(Call c, PromptCache.Plan plan, Replies.Reply reply, Settlement settlement)
      throws IOException {
    SimServer.Exchange ex = c.ex;
    Fault fault = c.faults.stream();
    Map<String, String> h = c.headers(false);
    sim.log.update(c.entry, e -> {
      e.status = 200;
      e.requestId = c.requestId;
      usage(e, plan, 0);
    });
    try {
      ex.startStream(200, h);
      Map<String, Object> start = message(reply, c.model, plan, false, null,
          Math.min(1, reply.outputTokens()));
      ex.sendEvent("message_start", Wire.json(Wire.obj("type", "message_start", "message", start)));
      int sent = 0;
      boolean faulted = false;
      List<Replies.Block> blocks = reply.blocks();
      if (blocks.isEmpty()) {
        ex.sendEvent("ping", "{\"type\":\"ping\"}");
      }
      for (int index = 0; index < blocks.size(); index++) {
        Replies.Block block = blocks.get(index);
        ex.sendEvent("content_block_start", Wire.json(Wire.obj("type", "content_block_start",
            "index", index, "content_block", block.start())));
        if (index == 0) {
          ex.sendEvent("ping", "{\"type\":\"ping\"}");
          if (!sim.timeToFirstToken.isZero()
              && ex.awaitDisconnect(sim.timeToFirstToken.toNanos())) {
            disconnected(c, settlement.produced);
            return;
          }
        }
        for (int d = 0; d < block.deltas().size(); d++) {
          if (fault != null && !faulted && sent == fault.afterDeltas) {
            faulted = true;
            if (!streamFault(c, fault, settlement)) {
              return;
            }
          }
          if (sent > 0 && !sim.interEventDelay.isZero()
              && ex.awaitDisconnect(sim.interEventDelay.toNanos())) {
            disconnected(c, settlement.produced);
            return;
          }
          ex.sendEvent("content_block_delta", Wire.json(Wire.obj("type", "content_block_delta",
              "index", index, "delta", block.deltas().get(d))));
          sent++;
          settlement.produced(block.tokens().get(d));
          long produced = settlement.produced;
          sim.log.update(c.entry, e -> e.outputTokens = produced);
        }
        ex.sendEvent("content_block_stop",
            Wire.json(Wire.obj("type", "content_block_stop", "index", index)));
      }
      if (fault != null && !faulted && !streamFault(c, fault, settlement)) {
        return;
      }
      Map<String, Object> usage = Wire.obj(
          "input_tokens", plan.inputTokens(),
          "cache_creation_input_tokens", plan.creationTokens(),
          "cache_read_input_tokens", plan.readTokens(),
          "output_tokens", (long) reply.outputTokens());
      ex.sendEvent("message_delta", Wire.json(Wire.obj("type", "message_delta",
          "delta", Wire.obj("stop_reason", reply.stopReason(), "stop_sequence", reply.stopSequence()),
          "usage", usage)));
      settlement.settle();
      sim.log.update(c.entry, e -> e.completed = true);
      ex.sendEvent("message_stop", "{\"type\":\"message_stop\"}");
      ex.endStream();
    } catch (IOException e) {
      disconnected(c, settlement.produced);
      throw e;
    }
  }

  /** Applies a stream fault; returns true when the stream should go on. */
  private boolean streamFault(Call c, Fault fault, Settlement settlement) throws IOException {
    SimServer.Exchange ex = c.ex;
    switch (fault.kind) {
      case STREAM_ERROR -> {
        settlement.settle();
        sim.log.update(c.entry, e -> {
          e.errorType = fault.errorType;
          e.completed = true;
        });
        ex.sendEvent("error", Wire.json(Wire.obj("type", "error",
            "error", Wire.obj("type", fault.errorType, "message", fault.message))));
        ex.endStream();
        return false;
      }
      case STREAM_DISCONNECT -> {
        settlement.settle();
        sim.log.update(c.entry, e -> e.completed = true);
        ex.abort(false);
        return false;
      }
      case STREAM_STALL -> {
        long end = System.nanoTime() + fault.minDelay.toNanos();
        while (true) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            return true;
          }
          long wait = fault.pings ? Math.min(left, sim.pingInterval.toNanos()) : left;
          if (ex.awaitDisconnect(wait)) {
            disconnected(c, settlement.produced);
            return false;
          }
          if (fault.pings && end - System.nanoTime() > 0) {
            ex.sendEvent("ping", "{\"type\":\"ping\"}");
          }
        }
      }
      default -> {
        return true;
      }
    }
  }

  // ------------------------------------------------------------------ replies

  private Replies.Reply reply(Map<String, Object> body, ModelSpec model, int maxTokens, long seq) {
    return Replies.build(body, model, maxTokens, seq, sim.minResponseTokens, sim.maxResponseTokens);
  }

  private static Map<String, Object> message(Replies.Reply reply, ModelSpec model,
      PromptCache.Plan plan, boolean full, String stopReason, long outputTokens) {
    Map<String, Object> usage = Wire.obj(
        "input_tokens", plan.inputTokens(),
        "cache_creation_input_tokens", plan.creationTokens(),
        "cache_read_input_tokens", plan.readTokens(),
        "cache_creation", Wire.obj("ephemeral_5m_input_tokens", plan.creation5m(),
            "ephemeral_1h_input_tokens", plan.creation1h()),
        "output_tokens", outputTokens,
        "service_tier", "standard",
        "inference_geo", "not_available");
    return Wire.obj("id", reply.id(), "type", "message", "role", "assistant", "model", model.id(),
        "content", full ? reply.content() : List.of(), "stop_reason", stopReason,
        "stop_sequence", full ? reply.stopSequence() : null, "usage", usage);
  }

  // ------------------------------------------------------------------ errors and helpers

  private void reject(Call c, Rejection r) throws IOException {
    if (c.ex.headersSent) {
      throw new IOException("cannot answer " + r.status + " after the headers were sent");
    }
    Map<String, String> h = c.headers(COUNT_TOKENS.equals(c.ex.path));
    if (r.retryAfterSeconds >= 0 && !h.containsKey("retry-after")) {
      h.put("retry-after", Long.toString(r.retryAfterSeconds));
    }
    byte[] out = Wire.json(Wire.errorBody(r.type, r.getMessage(), r.details, c.requestId))
        .getBytes(StandardCharsets.UTF_8);
    finish(c, r.status, r.type);
    write(c, () -> c.ex.respond(r.status, h, out, "application/json"));
  }

  private void tooLarge(Call c) throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("request-id", c.requestId);
    finish(c, 413, "request_too_large");
    if (sim.htmlRequestTooLarge) {
      byte[] html = HTML_413.getBytes(StandardCharsets.UTF_8);
      write(c, () -> c.ex.respond(413, h, html, "text/html"));
    } else {
      byte[] out = Wire.json(Wire.errorBody("request_too_large",
          "Request exceeds the maximum allowed number of bytes (" + sim.maxRequestBytes + ").",
          null, c.requestId)).getBytes(StandardCharsets.UTF_8);
      write(c, () -> c.ex.respond(413, h, out, "application/json"));
    }
  }

  private void finish(Call c, int status, String errorType) {
    sim.log.update(c.entry, e -> {
      e.status = status;
      e.errorType = errorType;
      e.requestId = c.requestId;
      e.completed = true;
    });
  }

  private void disconnected(Call c, long outputTokens) {
    c.ex.closeAfter = true;
    sim.log.update(c.entry, e -> {
      e.clientDisconnected = true;
      e.completed = false;
      e.outputTokens = outputTokens;
    });
  }

  @FunctionalInterface
  private interface Write {
    void run() throws IOException;
  }

  /** Writes the last bytes of an answer; a failure means the client left first. */
  private void write(Call c, Write w) throws IOException {
    try {
      w.run();
    } catch (IOException e) {
      disconnected(c, c.entry.outputTokens);
      throw e;
    }
  }

  private static void usage(CallLog.Entry e, PromptCache.Plan plan, long output) {
    e.inputTokens = plan.inputTokens();
    e.cacheCreation = plan.creationTokens();
    e.cacheRead = plan.readTokens();
    e.outputTokens = output;
  }

  private String rateLimitMessage(Call c, RateLimiter.Admission a) {
    String unit = switch (a.limiter()) {
      case "requests" -> "requests per minute";
      case "input tokens" -> "input tokens per minute";
      default -> "output tokens per minute";
    };
    return "This request would exceed the rate limit for your organization ("
        + sim.organizationIds.get(c.key.organization) + ") of "
        + String.format(Locale.US, "%,d", a.limit()) + " " + unit + ". " + RATE_LIMIT_DOCS;
  }

  private String spendCapMessage() {
    LocalDate next = LocalDate.ofInstant(sim.clock.instant(), ZoneOffset.UTC)
        .withDayOfMonth(1).plusMonths(1);
    return "You have reached your API usage limits: your organization has crossed its monthly API "
        + "usage threshold. You will regain access on " + next + " at 00:00 UTC.";
  }

  private void rateLimitHeaders(Map<String, String> h, RateLimiter.Dimension requests,
      RateLimiter.Dimension input, RateLimiter.Dimension output) {
    Instant now = sim.clock.instant();
    put(h, "requests", requests, false, now);
    RateLimiter.Dimension tokens = thousands(input.level()) <= thousands(output.level())
        ? input : output;
    put(h, "tokens", tokens, true, now);
    put(h, "input-tokens", input, true, now);
    put(h, "output-tokens", output, true, now);
  }

  private static void put(Map<String, String> h, String name, RateLimiter.Dimension d,
      boolean tokens, Instant now) {
    long remaining = tokens ? thousands(d.level()) : (long) Math.max(0, Math.floor(d.level()));
    h.put("anthropic-ratelimit-" + name + "-limit", Long.toString(d.limit()));
    h.put("anthropic-ratelimit-" + name + "-remaining", Long.toString(remaining));
    h.put("anthropic-ratelimit-" + name + "-reset", rfc3339(now.plusNanos(d.nanosToFull())));
  }

  /** Returns a token level rounded to the nearest thousand, never negative. */
  static long thousands(double level) {
    return Math.round(Math.max(0, Math.floor(level)) / 1000.0) * 1000;
  }

  /** Returns the instant rounded up to whole seconds, as RFC 3339 UTC. */
  static String rfc3339(Instant t) {
    Instant whole = t.getNano() == 0 ? t : t.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return DateTimeFormatter.ISO_INSTANT.format(whole);
  }

  private static String kind(Object parsed) {
    if (parsed instanceof List<?>) {
      return "an array";
    }
    if (parsed instanceof String) {
      return "a string";
    }
    if (parsed instanceof Number) {
      return "a number";
    }
    if (parsed instanceof Boolean) {
      return "a boolean";
    }
    return "null";
  }
}
