package dev.switchboard.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SafeListenerTest {
  private static final RouterEvent EVENT = new RouterEvent.KeyEnabled("a1");

  @Test
  void emit_deliversToTheTypedMethod() {
    List<String> seen = new ArrayList<>();
    new SafeListener(new RouterListener() {
      @Override
      public void keyEnabled(RouterEvent.KeyEnabled event) {
        seen.add(event.keyAlias());
      }
    }).emit(EVENT);
    assertThat(seen).containsExactly("a1");
  }

  @Test
  void emit_swallowsWhatTheListenerThrows() {
    SafeListener safe = new SafeListener(new RouterListener() {
      @Override
      public void onEvent(RouterEvent event) {
        throw new IllegalStateException("listener bug");
      }
    });
    assertThatCode(() -> safe.emit(EVENT)).doesNotThrowAnyException();
  }
}
