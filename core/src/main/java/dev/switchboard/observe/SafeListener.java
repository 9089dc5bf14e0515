package dev.switchboard.observe;

import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to a {@link RouterListener}, catching and logging (at WARN, by event type only)
 * anything it throws, so a faulty listener never fails a call. Thread-safe if the listener is.
 */
public final class SafeListener {
  private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

  private final RouterListener listener;

  /** Wraps {@code listener}. */
  public SafeListener(RouterListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Delivers {@code event}; never throws. */
  public void emit(RouterEvent event) {
    if (listener == RouterListener.NONE) {
      return;
    }
    try {
      listener.onEvent(event);
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw e;
      }
      LOG.warn("RouterListener {} threw {} on {}", listener.getClass().getName(),
          e.getClass().getName(), event.getClass().getSimpleName());
    }
  }
}
