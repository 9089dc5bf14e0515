package dev.switchboard.spi;

/**
 * Creates {@link StateStore}s; found by {@link java.util.ServiceLoader} and chosen by
 * {@link #name()} ({@code "local"}, {@code "redis"}). Register an implementation in
 * {@code META-INF/services/dev.switchboard.spi.StateStoreProvider}.
 */
public interface StateStoreProvider extends NamedProvider {

  /**
   * Returns a new store.
   *
   * @throws IllegalArgumentException when a required option is missing or of the wrong type
   */
  StateStore create(StateStoreConfig config);
}
