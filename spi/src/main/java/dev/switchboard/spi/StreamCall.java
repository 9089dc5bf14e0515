package dev.switchboard.spi;

/** A streaming attempt in progress. */
public interface StreamCall {

  /**
   * Cancels the attempt and closes its connection at once. The listener then receives
   * {@link StreamListener#onFailure} with {@link TransportException.Kind#CANCELLED}, unless it had
   * already received its terminal call. Calling it again, or after the end, does nothing.
   */
  void cancel();

  /** Returns true once {@link #cancel()} has been called. */
  boolean isCancelled();
}
