package dev.switchboard.spi;

/** The part every Switchboard provider shares: a unique name to select it by, and a priority. */
public interface NamedProvider {

  /** Returns the unique, case-sensitive name this provider is selected by, e.g. {@code "okhttp"}. */
  String name();

  /** Returns the priority used when no name is given: the highest wins. Default 0. */
  default int priority() {
    return 0;
  }
}
