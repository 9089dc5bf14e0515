package dev.switchboard.spi;

/**
 * Creates {@link Transport}s; found by {@link java.util.ServiceLoader} and chosen by
 * {@link #name()}. Register an implementation in
 * {@code META-INF/services/dev.switchboard.spi.TransportProvider}.
 */
public interface TransportProvider extends NamedProvider {

  /** Returns a new transport. */
  Transport create(TransportConfig config);
}
