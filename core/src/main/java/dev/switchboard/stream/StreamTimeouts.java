package dev.switchboard.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * The three watchdogs of one streaming attempt; each is further capped by the call's deadline.
 *
 * <ul>
 *   <li>{@code firstByte}: from the start of the attempt until the response headers arrive.
 *   <li>{@code firstToken}: from the start of the attempt until the first content delta (text, tool
 *       input or thinking) arrives.
 *   <li>{@code idle}: the longest gap, after the headers, between two events that make progress.
 *       A {@code ping} keeps the stream alive only for {@code pingAllowance} more: the attempt
 *       times out at {@code min(lastEvent + idle, lastProgress + idle + pingAllowance)}. With a zero
 *       allowance pings do not count at all.
 * </ul>
 *
 * <p>Immutable and thread-safe. {@link #DEFAULT}: first byte 60 s, first token 120 s, idle 30 s,
 * ping allowance 60 s.
 *
 * @param firstByte time allowed until the response headers, positive
 * @param firstToken time allowed until the first content delta, positive
 * @param idle longest gap between two progress events, positive
 * @param pingAllowance how much longer than {@code idle} pings alone may keep the stream open, zero
 *     or positive
 */
public record StreamTimeouts(Duration firstByte, Duration firstToken, Duration idle,
    Duration pingAllowance) {

  /** First byte 60 s, first token 120 s, idle 30 s, ping allowance 60 s. */
  public static final StreamTimeouts DEFAULT = new StreamTimeouts(Duration.ofSeconds(60),
      Duration.ofSeconds(120), Duration.ofSeconds(30), Duration.ofSeconds(60));

  /**
   * Validates.
   *
   * @throws IllegalArgumentException naming the field and value when a duration is out of range
   * @throws NullPointerException if a duration is null
   */
  public StreamTimeouts {
    positive("firstByte", firstByte);
    positive("firstToken", firstToken);
    positive("idle", idle);
    Objects.requireNonNull(pingAllowance, "pingAllowance");
    if (pingAllowance.isNegative()) {
      throw new IllegalArgumentException("pingAllowance must be >= 0 but was " + pingAllowance);
    }
  }

  /** Returns these timeouts with another first-byte timeout. */
  public StreamTimeouts withFirstByte(Duration firstByte) {
    return new StreamTimeouts(firstByte, firstToken, idle, pingAllowance);
  }

  /** Returns these timeouts with another first-token timeout. */
  public StreamTimeouts withFirstToken(Duration firstToken) {
    return new StreamTimeouts(firstByte, firstToken, idle, pingAllowance);
  }

  /** Returns these timeouts with another idle timeout. */
  public StreamTimeouts withIdle(Duration idle) {
    return new StreamTimeouts(firstByte, firstToken, idle, pingAllowance);
  }

  /** Returns these timeouts with another ping allowance. */
  public StreamTimeouts withPingAllowance(Duration pingAllowance) {
    return new StreamTimeouts(firstByte, firstToken, idle, pingAllowance);
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive but was " + d);
    }
  }
}
