package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TransportExceptionTest {

  @ParameterizedTest
  @EnumSource(TransportException.Kind.class)
  void kind_isKeptWithMessageAndCause(TransportException.Kind kind) {
    IOException cause = new IOException("socket closed");

    TransportException e = new TransportException(kind, "attempt 2 on key team-a failed", cause);

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e).hasMessage("attempt 2 on key team-a failed").hasCause(cause);
    assertThat(e.toString()).isEqualTo("TransportException[" + kind + "]: attempt 2 on key team-a failed");
  }

  @Test
  void constructor_withoutCause() {
    TransportException e = new TransportException(TransportException.Kind.TIMEOUT, "read timed out");

    assertThat(e.getCause()).isNull();
    assertThat(e).isInstanceOf(RuntimeException.class);
  }

  @Test
  void constructor_nullKindIsRefused() {
    assertThatThrownBy(() -> new TransportException(null, "x"))
        .isInstanceOf(NullPointerException.class).hasMessage("kind");
  }

  @Test
  void kind_hasTheSixDocumentedValues() {
    assertThat(TransportException.Kind.values()).containsExactly(
        TransportException.Kind.CONNECT, TransportException.Kind.TIMEOUT, TransportException.Kind.RESET,
        TransportException.Kind.INCOMPLETE_STREAM, TransportException.Kind.CANCELLED, TransportException.Kind.IO);
  }
}
