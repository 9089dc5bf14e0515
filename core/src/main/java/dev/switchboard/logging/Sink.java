package dev.switchboard.logging;

import org.slf4j.event.Level;

/** Where {@link LoggingListener} writes its lines: SLF4J in production, a list in tests. */
interface Sink {

  /** Returns whether a line at {@code level} would be written, so that none is built in vain. */
  boolean isEnabled(Level level);

  /** Writes one finished line at {@code level}. */
  void write(Level level, String line);
}
