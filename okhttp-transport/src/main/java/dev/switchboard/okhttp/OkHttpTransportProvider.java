package dev.switchboard.okhttp;

import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportProvider;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * The {@link TransportProvider} named {@value #NAME}: Messages API calls over OkHttp 5 with Moshi
 * for JSON and a WHATWG-conformant server-sent-events reader for streams.
 *
 * <p>Found by {@link java.util.ServiceLoader} (it is listed in
 * {@code META-INF/services/dev.switchboard.spi.TransportProvider}), or used directly:
 *
 * <pre>{@code
 * Transport transport = new OkHttpTransportProvider().create(TransportConfig.builder().build());
 * // or, sharing the application's OkHttpClient (its pool and dispatcher):
 * Transport shared = OkHttpTransportProvider.create(config, appClient);
 * }</pre>
 *
 * <p>What a transport made here does:
 * <ul>
 *   <li>every HTTP response, whatever its status, completes the future with a
 *       {@link dev.switchboard.spi.ProviderResponse}; a body that is not what the status promised
 *       (HTML from a proxy, empty, truncated, wrong shape) is reported as malformed, never thrown;
 *   <li>when no response arrives the future fails with a
 *       {@link dev.switchboard.spi.TransportException} of kind {@code CONNECT}, {@code TIMEOUT},
 *       {@code RESET}, {@code IO} or {@code CANCELLED}; messages name the key by alias and
 *       fingerprint only;
 *   <li>cancelling a returned future, or {@link dev.switchboard.spi.StreamCall#cancel()}, closes the
 *       HTTP call at once;
 *   <li>OkHttp's own retries and redirects are off; the dispatcher admits
 *       {@link TransportConfig#maxConcurrentRequests()} calls at once, all to one host.
 * </ul>
 *
 * <p>Futures complete, and stream listeners are called, on OkHttp's dispatcher threads: keep
 * dependent stages and listener callbacks short and non-blocking. A stream ends with
 * {@code onComplete} right after {@code message_stop} or an {@code error} event; a known event
 * whose {@code data} cannot be read ends it with {@code INCOMPLETE_STREAM} (dropping a delta would
 * corrupt the message), while an unreadable {@code ping}, {@code message_stop} or {@code error} is
 * still delivered; unknown event names arrive as {@link dev.switchboard.spi.StreamEvent.Unknown}.
 *
 * <p>This class is stateless and thread-safe; the transports it creates are thread-safe.
 */
public final class OkHttpTransportProvider implements TransportProvider {
  /** The name this provider is selected by. */
  public static final String NAME = "okhttp";

  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public OkHttpTransportProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Returns a new transport with its own OkHttp client (dispatcher, connection pool and threads),
   * all released by {@link Transport#close()}.
   *
   * @throws NullPointerException if {@code config} is null
   */
  @Override
  public Transport create(TransportConfig config) {
    return new OkHttpTransport(config, null);
  }

  /**
   * Returns a transport that shares {@code client}'s connection pool and dispatcher. It derives
   * its own client from it with {@link OkHttpClient#newBuilder()}: the config's connect and read
   * timeouts, no OkHttp retries, no redirects; interceptors, proxies and TLS settings of
   * {@code client} are kept. The dispatcher's limits are the caller's to set (OkHttp's default of
   * 5 calls per host is too low for a router). {@link Transport#close()} cancels this transport's
   * calls but leaves the shared dispatcher and pool running.
   *
   * @throws NullPointerException if an argument is null
   */
  public static Transport create(TransportConfig config, OkHttpClient client) {
    Objects.requireNonNull(client, "client");
    return new OkHttpTransport(config, client);
  }

  @Override
  public String toString() {
    return "OkHttpTransportProvider[" + NAME + "]";
  }
}
