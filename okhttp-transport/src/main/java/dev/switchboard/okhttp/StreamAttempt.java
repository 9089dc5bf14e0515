package dev.switchboard.okhttp;

import dev.switchboard.okhttp.WireResponses.Endpoint;
import dev.switchboard.okhttp.WireResponses.ShapeException;
import dev.switchboard.spi.ApiKey;
import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamCall;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.StreamListener;
import dev.switchboard.spi.TransportException;
import dev.switchboard.spi.TransportException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Response;
import okio.AsyncTimeout;

/**
 * One streaming attempt: the OkHttp callback that reads the event stream, and the
 * {@link StreamCall} handle the caller holds.
 *
 * <p>Every listener call happens under this object's lock and after a check that no terminal call
 * was made, so the listener sees one call at a time and exactly one of {@code onComplete} /
 * {@code onFailure}, even when {@link #cancel()} or the transport's {@code close()} races the
 * reading thread. The stream ends with {@code onComplete} right after {@code message_stop} or an
 * {@code error} event (the rest of the body is not read), and with {@code onFailure} otherwise:
 * {@link Kind#INCOMPLETE_STREAM} when the body ends early, breaks, or carries a malformed event;
 * {@link Kind#TIMEOUT} when the read timeout expires between two events; {@link Kind#CANCELLED}
 * after {@link #cancel()}, after {@code close()}, or when the listener throws.
 */
final class StreamAttempt implements StreamCall, Callback, OkHttpTransport.InFlight {
  private static final String WHAT = "streaming POST /v1/messages";

  private final OkHttpTransport transport;
  private final Call call;
  private final ApiKey key;
  private final StreamListener listener;
  private final Duration headersTimeout;
  private final HeadersTimer timer = new HeadersTimer();
  private final Object lock = new Object();
  private boolean terminated;
  private volatile boolean cancelled;
  private volatile boolean timedOut;

  StreamAttempt(OkHttpTransport transport, Call call, ApiKey key, StreamListener listener,
      Duration headersTimeout) {
    this.transport = transport;
    this.call = call;
    this.key = key;
    this.listener = listener;
    this.headersTimeout = headersTimeout;
  }

  /** Starts the headers timer and enqueues the call. */
  void start() {
    timer.timeout(Math.max(1, headersTimeout.toNanos()), TimeUnit.NANOSECONDS);
    timer.enter();
    call.enqueue(this);
  }

  @Override
  public void cancel() {
    cancelled = true;
    call.cancel();
    fail(Failures.of(Kind.CANCELLED, WHAT, key, "cancelled by the caller", null));
  }

  @Override
  public boolean isCancelled() {
    return cancelled;
  }

  @Override
  public void abort(String reason) {
    cancelled = true;
    call.cancel();
    fail(Failures.of(Kind.CANCELLED, WHAT, key, reason, null));
  }

  @Override
  public void onFailure(Call call, IOException e) {
    timer.exit();
    Kind kind = Failures.beforeHeaders(e, cancelled, timedOut);
    String detail = timedOut
        ? "no response headers within " + headersTimeout + " (" + Failures.describe(e) + ")"
        : Failures.describe(e);
    fail(Failures.of(kind, WHAT, key, detail, e));
  }

  @Override
  public void onResponse(Call call, Response response) {
    timer.exit();
    try (response) {
      if (timedOut) {
        fail(Failures.of(Kind.TIMEOUT, WHAT, key,
            "no response headers within " + headersTimeout, null));
        return;
      }
      int status = response.code();
      ProviderResponse.Builder head = transport.head(response);
      if (status < 200 || status >= 300) {
        ProviderResponse error = readError(response, head, status);
        if (error != null && deliver("onResponse", () -> listener.onResponse(error))) {
          complete();
        }
        return;
      }
      ProviderResponse started = head.build();
      if (!deliver("onResponse", () -> listener.onResponse(started))) {
        return;
      }
      readEvents(response);
    } catch (RuntimeException e) {
      fail(Failures.of(Kind.INCOMPLETE_STREAM, WHAT, key,
          "the stream could not be handled: " + Failures.describe(e), e));
    }
  }

  private ProviderResponse readError(Response response, ProviderResponse.Builder head, int status) {
    try {
      String body = response.body().string();
      return WireResponses.decode(head, status, body, Endpoint.MESSAGES);
    } catch (IOException e) {
      if (cancelled) {
        fail(Failures.of(Kind.CANCELLED, WHAT, key, "cancelled while reading the HTTP " + status
            + " body", null));
        return null;
      }
      return WireResponses.malformed(head, status, "", "the HTTP " + status
          + " body could not be read: " + Failures.describe(e));
    }
  }

  private void readEvents(Response response) {
    SseReader reader = new SseReader(response.body().source(), OkHttpTransport.MAX_EVENT_BYTES);
    boolean[] ended = new boolean[1];
    try {
      reader.readAll((name, data) -> {
        StreamEvent event;
        try {
          event = StreamEvents.map(name, data);
        } catch (ShapeException e) {
          throw new MalformedEvent("malformed " + name + " event: " + e.getMessage());
        } catch (RuntimeException e) {
          throw new MalformedEvent("malformed " + name + " event: " + Failures.describe(e));
        }
        if (!deliver("onEvent", () -> listener.onEvent(event))) {
          return false;
        }
        if (event instanceof StreamEvent.MessageStop || event instanceof StreamEvent.Error) {
          ended[0] = true;
          return false;
        }
        return true;
      });
    } catch (MalformedEvent e) {
      fail(Failures.of(Kind.INCOMPLETE_STREAM, WHAT, key, e.getMessage(), null));
      return;
    } catch (IOException e) {
      Kind kind = cancelled ? Kind.CANCELLED
          : e instanceof InterruptedIOException ? Kind.TIMEOUT : Kind.INCOMPLETE_STREAM;
      String detail = switch (kind) {
        case CANCELLED -> "cancelled while reading the stream (" + Failures.describe(e) + ")";
        case TIMEOUT -> "the stream was idle longer than the read timeout ("
            + Failures.describe(e) + ")";
        default -> "the stream broke before message_stop: " + Failures.describe(e);
      };
      fail(Failures.of(kind, WHAT, key, detail, e));
      return;
    }
    if (ended[0]) {
      complete();
    } else {
      String contentType = response.header("content-type");
      String hint = contentType == null || contentType.contains("text/event-stream") ? ""
          : " (its content-type was '" + contentType + "', not text/event-stream)";
      fail(Failures.of(cancelled ? Kind.CANCELLED : Kind.INCOMPLETE_STREAM, WHAT, key,
          "the stream ended before message_stop" + hint, null));
    }
  }

  /** Calls the listener unless the attempt already ended; a throwing listener cancels it. */
  private boolean deliver(String callback, Runnable call) {
    synchronized (lock) {
      if (terminated) {
        return false;
      }
      if (cancelled) {
        terminateWith(Failures.of(Kind.CANCELLED, WHAT, key, "cancelled", null));
        return false;
      }
      try {
        call.run();
        return true;
      } catch (RuntimeException e) {
        cancelled = true;
        this.call.cancel();
        terminateWith(Failures.of(Kind.CANCELLED, WHAT, key,
            "the stream listener threw in " + callback + ": " + Failures.describe(e), e));
        return false;
      }
    }
  }

  private void complete() {
    synchronized (lock) {
      if (terminated) {
        return;
      }
      terminated = true;
      transport.unregister(this);
      try {
        listener.onComplete();
      } catch (RuntimeException ignored) {
        // the attempt is over; a listener that throws here has nothing left to cancel
      }
    }
  }

  private void fail(TransportException failure) {
    synchronized (lock) {
      if (!terminated) {
        terminateWith(failure);
      }
    }
  }

  private void terminateWith(TransportException failure) {
    terminated = true;
    transport.unregister(this);
    try {
      listener.onFailure(failure);
    } catch (RuntimeException ignored) {
      // the attempt is over; a listener that throws here has nothing left to cancel
    }
  }

  @Override
  public String toString() {
    return "StreamAttempt[key=" + key + ", cancelled=" + cancelled + "]";
  }

  /** Cancels the call when the response headers take longer than the attempt's timeout. */
  private final class HeadersTimer extends AsyncTimeout {
    @Override
    protected void timedOut() {
      timedOut = true;
      call.cancel();
    }
  }

  /** A known event whose data could not be read; ends the stream as incomplete. */
  private static final class MalformedEvent extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedEvent(String message) {
      super(message);
    }
  }
}
