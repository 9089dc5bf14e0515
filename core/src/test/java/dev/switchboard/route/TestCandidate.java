package dev.switchboard.route;

import dev.switchboard.spi.Candidate;

/** A fixed candidate for strategy tests. */
record TestCandidate(String keyAlias, String organization, String model, int weight, int inFlight,
    double headroom, long latencyEwmaNanos) implements Candidate {

  /** Returns a candidate with weight 1, nothing in flight, a full pool and no latency yet. */
  static TestCandidate named(String alias) {
    return new TestCandidate(alias, "org", "claude-sonnet-4-5", 1, 0, 1.0, -1);
  }

  TestCandidate withWeight(int w) {
    return new TestCandidate(keyAlias, organization, model, w, inFlight, headroom, latencyEwmaNanos);
  }

  TestCandidate withInFlight(int n) {
    return new TestCandidate(keyAlias, organization, model, weight, n, headroom, latencyEwmaNanos);
  }

  TestCandidate withHeadroom(double h) {
    return new TestCandidate(keyAlias, organization, model, weight, inFlight, h, latencyEwmaNanos);
  }

  TestCandidate withLatency(long nanos) {
    return new TestCandidate(keyAlias, organization, model, weight, inFlight, headroom, nanos);
  }
}
