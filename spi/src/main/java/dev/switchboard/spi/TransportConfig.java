package dev.switchboard.spi;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings a {@link TransportProvider} builds a transport from. Immutable; build with
 * {@link #builder()}.
 */
public final class TransportConfig {
  /** The production API. */
  public static final URI ANTHROPIC_BASE_URL = URI.create("https://api.anthropic.com");
  /** The {@code anthropic-version} every official SDK sends. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  private final URI baseUrl;
  private final String anthropicVersion;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final int maxConcurrentRequests;
  private final Map<String, String> defaultHeaders;
  private final InstantSource clock;

  private TransportConfig(Builder b) {
    this.baseUrl = b.baseUrl;
    this.anthropicVersion = b.anthropicVersion;
    this.connectTimeout = b.connectTimeout;
    this.readTimeout = b.readTimeout;
    this.maxConcurrentRequests = b.maxConcurrentRequests;
    this.defaultHeaders = Map.copyOf(b.defaultHeaders);
    this.clock = b.clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.baseUrl = baseUrl;
    b.anthropicVersion = anthropicVersion;
    b.connectTimeout = connectTimeout;
    b.readTimeout = readTimeout;
    b.maxConcurrentRequests = maxConcurrentRequests;
    b.defaultHeaders.putAll(defaultHeaders);
    b.clock = clock;
    return b;
  }

  /** Returns the base URL; default {@link #ANTHROPIC_BASE_URL}. */
  public URI baseUrl() { return baseUrl; }

  /** Returns the {@code anthropic-version} header value; default {@value #DEFAULT_ANTHROPIC_VERSION}. */
  public String anthropicVersion() { return anthropicVersion; }

  /** Returns the connect timeout; default 10 s. */
  public Duration connectTimeout() { return connectTimeout; }

  /** Returns the default gap allowed between two reads; default 60 s. */
  public Duration readTimeout() { return readTimeout; }

  /**
   * Returns how many requests may be in flight at once (to the one API host); default 256. HTTP
   * clients that queue beyond a small per-host default must be raised to this.
   */
  public int maxConcurrentRequests() { return maxConcurrentRequests; }

  /** Returns headers sent on every request. */
  public Map<String, String> defaultHeaders() { return defaultHeaders; }

  /** Returns the wall clock used to read HTTP-date headers; default the system clock. */
  public InstantSource clock() { return clock; }

  @Override
  public String toString() {
    return "TransportConfig[baseUrl=" + baseUrl + ", version=" + anthropicVersion + ", connect="
        + connectTimeout + ", read=" + readTimeout + ", maxConcurrent=" + maxConcurrentRequests + "]";
  }

  /** Builds {@link TransportConfig}s; setters validate at once. */
  public static final class Builder {
    private URI baseUrl = ANTHROPIC_BASE_URL;
    private String anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(60);
    private int maxConcurrentRequests = 256;
    private final Map<String, String> defaultHeaders = new LinkedHashMap<>();
    private InstantSource clock = InstantSource.system();

    private Builder() {}

    public Builder baseUrl(URI baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      String scheme = baseUrl.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw new IllegalArgumentException("baseUrl must be http or https but was " + baseUrl);
      }
      this.baseUrl = baseUrl;
      return this;
    }

    public Builder baseUrl(String baseUrl) {
      Objects.requireNonNull(baseUrl, "baseUrl");
      URI uri;
      try {
        uri = URI.create(baseUrl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl, e);
      }
      return baseUrl(uri);
    }

    public Builder anthropicVersion(String version) {
      Objects.requireNonNull(version, "anthropicVersion");
      if (version.isBlank()) {
        throw new IllegalArgumentException("anthropicVersion must not be blank");
      }
      this.anthropicVersion = version;
      return this;
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connectTimeout", timeout);
      return this;
    }

    public Builder readTimeout(Duration timeout) {
      this.readTimeout = positive("readTimeout", timeout);
      return this;
    }

    public Builder maxConcurrentRequests(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxConcurrentRequests must be >= 1 but was " + max);
      }
      this.maxConcurrentRequests = max;
      return this;
    }

    /** Adds a header sent on every request; {@code x-api-key} is refused. */
    public Builder defaultHeader(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.equalsIgnoreCase("x-api-key") || name.equalsIgnoreCase("authorization")) {
        throw new IllegalArgumentException("header '" + name + "' is set by the transport from the key");
      }
      defaultHeaders.put(name, value);
      return this;
    }

    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public TransportConfig build() {
      return new TransportConfig(this);
    }

    private static Duration positive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive but was " + d);
      }
      return d;
    }
  }
}
