package dev.switchboard.logging;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/** A {@link Sink} that writes to one SLF4J logger. Thread-safe as the logger is. */
final class Slf4jSink implements Sink {
  private final Logger logger;

  Slf4jSink(Logger logger) {
    this.logger = Objects.requireNonNull(logger, "logger");
  }

  String loggerName() {
    return logger.getName();
  }

  @Override
  public boolean isEnabled(Level level) {
    return logger.isEnabledForLevel(level);
  }

  @Override
  public void write(Level level, String line) {
    // the line goes in as an argument, never as the pattern, so "{}" inside a value stays literal
    switch (level) {
      case ERROR -> logger.error("{}", line);
      case WARN -> logger.warn("{}", line);
      case INFO -> logger.info("{}", line);
      case DEBUG -> logger.debug("{}", line);
      case TRACE -> logger.trace("{}", line);
      default -> throw new AssertionError(level);
    }
  }
}
