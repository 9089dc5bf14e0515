package dev.switchboard.okhttp;

import dev.switchboard.okhttp.WireResponses.Endpoint;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.AttemptOptions;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.RateLimitInfo;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.TransportException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.ByteString;

/**
 * The {@link Transport} on OkHttp: one shared {@link OkHttpClient} (one dispatcher, one connection
 * pool), from which each attempt derives a client with its own timeouts.
 *
 * <p>Timeouts: the connect timeout comes from {@link TransportConfig#connectTimeout()}; for each
 * attempt {@link AttemptOptions#readTimeout()} bounds the gap between two reads, and
 * {@link AttemptOptions#timeout()} bounds a non-streaming call from start to last byte (OkHttp's call
 * timeout) and a stream until its response headers arrive (a timer of this class; the body is then
 * guarded only by the read timeout). OkHttp's own retries and redirects are off: the router decides
 * retries, and a redirect could carry the key to another host.
 *
 * <p>Thread-safe; no method blocks on the network.
 */
final class OkHttpTransport implements Transport {
  static final MediaType JSON = MediaType.get("application/json");
  /** Upper bound of one server-sent event (and of one line). */
  static final long MAX_EVENT_BYTES = 16L * 1024 * 1024;

  private final TransportConfig config;
  private final OkHttpClient client;
  private final boolean ownsClient;
  private final HttpUrl messagesUrl;
  private final HttpUrl countTokensUrl;
  private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * Returns a transport for {@code config}.
   *
   * @param callerClient a client to share (its dispatcher and pool are used and left running on
   *     {@link #close()}), or null to build and own one
   */
  OkHttpTransport(TransportConfig config, OkHttpClient callerClient) {
    this.config = Objects.requireNonNull(config, "config");
    this.ownsClient = callerClient == null;
    OkHttpClient base = callerClient != null ? callerClient : ownedClient(config);
    this.client = base.newBuilder()
        .connectTimeout(millis(config.connectTimeout()), TimeUnit.MILLISECONDS)
        .readTimeout(millis(config.readTimeout()), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .followSslRedirects(false)
        .build();
    HttpUrl baseUrl = HttpUrl.get(config.baseUrl().toString());
    this.messagesUrl = baseUrl.newBuilder().addPathSegments("v1/messages").build();
    this.countTokensUrl = baseUrl.newBuilder().addPathSegments("v1/messages/count_tokens").build();
  }

  private static OkHttpClient ownedClient(TransportConfig config) {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(config.maxConcurrentRequests());
    dispatcher.setMaxRequestsPerHost(config.maxConcurrentRequests());
    return new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(Math.min(config.maxConcurrentRequests(), 64), 5,
            TimeUnit.MINUTES))
        .build();
  }

  /** Returns the shared client (for tests and diagnostics). */
  OkHttpClient client() {
    return client;
  }

  /**
   * Sends a non-streaming call; the body never has {@code "stream"} (whatever
   * {@link MessageRequest#stream()} says), since this method reads one JSON message.
   */
  @Override
  public CompletableFuture<ProviderResponse> send(ApiKey key, MessageRequest request,
      AttemptOptions options) {
    Objects.requireNonNull(request, "request");
    return exchange(key, WireRequests.messages(request, false), options, messagesUrl,
        Endpoint.MESSAGES, "POST /v1/messages");
  }

  @Override
  public CompletableFuture<ProviderResponse> countTokens(ApiKey key, MessageRequest request,
      AttemptOptions options) {
    Objects.requireNonNull(request, "request");
    return exchange(key, WireRequests.countTokens(request), options, countTokensUrl,
        Endpoint.COUNT_TOKENS, "POST /v1/messages/count_tokens");
  }

  @Override
  public StreamCall stream(ApiKey key, MessageRequest request, AttemptOptions options,
      StreamListener listener) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(listener, "listener");
    Request http = httpRequest(key, options, messagesUrl, WireRequests.messages(request, true),
        "text/event-stream");
    OkHttpClient perCall = client.newBuilder()
        .readTimeout(millis(options.readTimeout()), TimeUnit.MILLISECONDS)
        .build();
    Call call = perCall.newCall(http);
    StreamAttempt attempt = new StreamAttempt(this, call, key, listener, options.timeout());
    if (!register(attempt)) {
      return attempt;
    }
    attempt.start();
    return attempt;
  }

  private CompletableFuture<ProviderResponse> exchange(ApiKey key, ByteString body,
      AttemptOptions options, HttpUrl url, Endpoint endpoint, String what) {
    Request http = httpRequest(key, options, url, body, "application/json");
    OkHttpClient perCall = client.newBuilder()
        .readTimeout(millis(options.readTimeout()), TimeUnit.MILLISECONDS)
        .callTimeout(millis(options.timeout()), TimeUnit.MILLISECONDS)
        .build();
    Exchange exchange = new Exchange(perCall.newCall(http), key, endpoint, what);
    if (register(exchange)) {
      exchange.start();
    }
    return exchange.future;
  }

  private Request httpRequest(ApiKey key, AttemptOptions options, HttpUrl url, ByteString body,
      String accept) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(options, "options");
    checkHeaderSafe(key);
    Request.Builder b = new Request.Builder()
        .url(url)
        .post(RequestBody.create(body, JSON))
        .header("x-api-key", key.reveal())
        .header("anthropic-version", config.anthropicVersion())
        .header("content-type", "application/json")
        .header("accept", accept);
    if (!options.betas().isEmpty()) {
      b.header("anthropic-beta", String.join(",", options.betas()));
    }
    for (Map.Entry<String, String> h : config.defaultHeaders().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    for (Map.Entry<String, String> h : options.headers().entrySet()) {
      b.header(h.getKey(), h.getValue());
    }
    return b.build();
  }

  /**
   * Returns a positive duration in the whole milliseconds OkHttp accepts: at least 1 (OkHttp
   * refuses a sub-millisecond timeout, and 0 would mean none) and at most {@code Integer.MAX_VALUE}
   * (about 24.8 days; OkHttp refuses more).
   */
  static long millis(Duration d) {
    long ms;
    try {
      ms = d.toMillis();
    } catch (ArithmeticException overflow) {
      ms = Long.MAX_VALUE;
    }
    return Math.max(1, Math.min(ms, Integer.MAX_VALUE));
  }

  /** Rejects a secret OkHttp would refuse as a header value, without letting OkHttp echo it. */
  private static void checkHeaderSafe(ApiKey key) {
    String secret = key.reveal();
    for (int i = 0; i < secret.length(); i++) {
      char c = secret.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException("secret of key " + key
            + " contains a character not allowed in an HTTP header, at index " + i);
      }
    }
  }

  /** Returns the status, ids and rate-limit facts of a response, before its body. */
  ProviderResponse.Builder head(Response response) {
    Function<String, String> header = name -> {
      List<String> values = response.headers(name);
      return values.isEmpty() ? null : values.get(0);
    };
    return ProviderResponse.builder(response.code())
        .requestId(header.apply("request-id"))
        .organizationId(header.apply("anthropic-organization-id"))
        .rateLimits(RateLimitInfo.parse(header, config.clock().instant()));
  }

  private boolean register(InFlight attempt) {
    inFlight.add(attempt);
    if (closed) {
      inFlight.remove(attempt);
      attempt.abort("the transport is closed");
      return false;
    }
    return true;
  }

  void unregister(InFlight attempt) {
    inFlight.remove(attempt);
  }

  /**
   * Cancels every call in flight (each reports {@link Kind#CANCELLED}) and, when this transport
   * built its own client, shuts down its dispatcher's threads and evicts its pooled connections.
   * Calls made after this fail with {@link Kind#CANCELLED}. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (InFlight attempt : List.copyOf(inFlight)) {
      attempt.abort("the transport was closed");
    }
    inFlight.clear();
    if (ownsClient) {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  @Override
  public String toString() {
    return "OkHttpTransport[" + config + "]";
  }

  /** A call this transport can abort on close. */
  interface InFlight {
    /** Cancels the call and reports {@link Kind#CANCELLED} with {@code reason}. */
    void abort(String reason);
  }

  /** One non-streaming call: its OkHttp callback and the future the caller holds. */
  private final class Exchange implements Callback, InFlight {
    final CompletableFuture<ProviderResponse> future = new CompletableFuture<>();
    private final Call call;
    private final ApiKey key;
    private final Endpoint endpoint;
    private final String what;
    private volatile boolean cancelled;

    Exchange(Call call, ApiKey key, Endpoint endpoint, String what) {
      this.call = call;
      this.key = key;
      this.endpoint = endpoint;
      this.what = what;
      future.whenComplete((response, failure) -> {
        unregister(this);
        if (failure instanceof CancellationException) {
          cancelled = true;
          call.cancel();
        }
      });
    }

    void start() {
      call.enqueue(this);
    }

    @Override
    public void abort(String reason) {
      cancelled = true;
      future.completeExceptionally(Failures.of(Kind.CANCELLED, what, key, reason, null));
      call.cancel();
    }

    @Override
    public void onFailure(Call call, IOException e) {
      Kind kind = Failures.beforeHeaders(e, cancelled, false);
      future.completeExceptionally(Failures.of(kind, what, key, Failures.describe(e), e));
    }

    @Override
    public void onResponse(Call call, Response response) {
      try (response) {
        int status = response.code();
        ProviderResponse.Builder builder = head(response);
        String body;
        try {
          body = response.body().string();
        } catch (IOException e) {
          if (cancelled) {
            future.completeExceptionally(Failures.of(Kind.CANCELLED, what, key,
                "cancelled while reading the HTTP " + status + " body", null));
          } else if (status >= 200 && status < 300) {
            Kind kind = e instanceof InterruptedIOException ? Kind.TIMEOUT : Kind.IO;
            future.completeExceptionally(Failures.of(kind, what, key,
                "the HTTP " + status + " body broke off: " + Failures.describe(e), e));
          } else {
            future.complete(WireResponses.malformed(builder, status, "", "the HTTP " + status
                + " body could not be read: " + Failures.describe(e)));
          }
          return;
        }
        future.complete(WireResponses.decode(builder, status, body, endpoint));
      } catch (RuntimeException e) {
        future.completeExceptionally(Failures.of(Kind.IO, what, key,
            "the response could not be handled: " + Failures.describe(e), e));
      }
    }
  }
}
