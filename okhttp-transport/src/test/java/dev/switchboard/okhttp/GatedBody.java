package dev.switchboard.okhttp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponseBody;
import okio.BufferedSink;

/**
 * A response body that writes its first part, then holds the connection open until the test
 * releases it (or 10 s pass), then writes the rest: a stalled stream without sleeping.
 */
final class GatedBody implements MockResponseBody {
  private final String first;
  private final String rest;
  private final CountDownLatch gate = new CountDownLatch(1);

  GatedBody(String first, String rest) {
    this.first = first;
    this.rest = rest;
  }

  /** Lets the server write the rest of the body (and end it). */
  void release() {
    gate.countDown();
  }

  @Override
  public long getContentLength() {
    return -1;
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    sink.writeUtf8(first);
    sink.flush();
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    sink.writeUtf8(rest);
    sink.flush();
  }
}
