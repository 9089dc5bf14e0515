package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.TransportException.Kind;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  @Test
  void beforeHeaders_connectionNotEstablishedIsConnect() {
    assertThat(Failures.beforeHeaders(new ConnectException("Connection refused"), false, false))
        .isEqualTo(Kind.CONNECT);
    assertThat(Failures.beforeHeaders(new UnknownHostException("api.example"), false, false))
        .isEqualTo(Kind.CONNECT);
    assertThat(Failures.beforeHeaders(new SSLHandshakeException("bad cert"), false, false))
        .isEqualTo(Kind.CONNECT);
  }

  @Test
  void beforeHeaders_timeoutsAreTimeout() {
    assertThat(Failures.beforeHeaders(new SocketTimeoutException("Read timed out"), false, false))
        .isEqualTo(Kind.TIMEOUT);
    assertThat(Failures.beforeHeaders(new InterruptedIOException("timeout"), false, false))
        .isEqualTo(Kind.TIMEOUT);
  }

  @Test
  void beforeHeaders_brokenConnectionsAreReset() {
    assertThat(Failures.beforeHeaders(new SocketException("Connection reset"), false, false))
        .isEqualTo(Kind.RESET);
    assertThat(Failures.beforeHeaders(new EOFException("\\n not found"), false, false))
        .isEqualTo(Kind.RESET);
    assertThat(Failures.beforeHeaders(new IOException("unexpected end of stream on http://h/...",
        new EOFException()), false, false)).isEqualTo(Kind.RESET);
  }

  @Test
  void beforeHeaders_ownCancellationAndTimersWinOverTheExceptionType() {
    IOException canceled = new IOException("Canceled");

    assertThat(Failures.beforeHeaders(canceled, true, false)).isEqualTo(Kind.CANCELLED);
    assertThat(Failures.beforeHeaders(canceled, true, true)).isEqualTo(Kind.TIMEOUT);
    assertThat(Failures.beforeHeaders(canceled, false, false)).isEqualTo(Kind.IO);
  }
}
