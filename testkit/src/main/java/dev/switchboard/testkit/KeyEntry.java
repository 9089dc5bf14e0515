package dev.switchboard.testkit;

/**
 * A registered API key. The secret is only compared, never logged or printed ({@link #toString()}
 * shows the label). The state changes at run time; reads and writes are volatile.
 */
final class KeyEntry {
  final String label;
  final String secret;
  final String organization;
  volatile Simulator.KeyState state;

  KeyEntry(String label, String secret, String organization, Simulator.KeyState state) {
    this.label = label;
    this.secret = secret;
    this.organization = organization;
    this.state = state;
  }

  @Override
  public String toString() {
    return "KeyEntry[" + label + ", org=" + organization + ", " + state + "]";
  }
}
