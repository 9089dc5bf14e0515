package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterListenerTest {

  private static List<RouterEvent> oneOfEach() {
    return List.of(
        new RouterEvent.AttemptStarted(1, 1, "team-a", "org-1", "claude-sonnet-4-5", "user-1"),
        new RouterEvent.AttemptFinished(1, 1, "team-a", "claude-sonnet-4-5", Outcome.RATE_LIMITED, 429, 5_000_000,
            "rate_limit_error"),
        new RouterEvent.CooledDown("pool:org-1:sonnet", "team-a", "claude-sonnet-4-5", Duration.ofSeconds(7),
            "retry-after"),
        new RouterEvent.KeyDisabled("team-b", "org-2", Outcome.KEY_FAULT, "authentication_error"),
        new RouterEvent.KeyEnabled("team-b"),
        new RouterEvent.ModelDisabled("team-a", "claude-old", "not_found_error"),
        new RouterEvent.BreakerStateChanged("model:claude-sonnet-4-5", BreakerState.CLOSED, BreakerState.OPEN),
        new RouterEvent.FellBack(1, "claude-opus-4-5", "claude-sonnet-4-5", "breaker open"),
        new RouterEvent.BudgetWaited(2, "claude-sonnet-4-5", 250_000_000),
        new RouterEvent.RetryBudgetExhausted(3, "retry budget spent"),
        new RouterEvent.StreamFinished(4, "claude-sonnet-4-5", "team-c", 300_000_000, 120, 42.5,
            3_100_000_000L, RouterEvent.StreamEnd.COMPLETE, false),
        new RouterEvent.CallFinished(1, "user-1", "claude-sonnet-4-5", "team-c", true, Outcome.SUCCESS, 2,
            9_000_000, true, false, false));
  }

  /** Records which typed method received which event. */
  private static final class Recording implements RouterListener {
    final List<String> calls = new ArrayList<>();

    private void record(String method, RouterEvent event) {
      calls.add(method + ":" + event.getClass().getSimpleName());
    }

    @Override public void attemptStarted(RouterEvent.AttemptStarted e) { record("attemptStarted", e); }
    @Override public void attemptFinished(RouterEvent.AttemptFinished e) { record("attemptFinished", e); }
    @Override public void cooledDown(RouterEvent.CooledDown e) { record("cooledDown", e); }
    @Override public void keyDisabled(RouterEvent.KeyDisabled e) { record("keyDisabled", e); }
    @Override public void keyEnabled(RouterEvent.KeyEnabled e) { record("keyEnabled", e); }
    @Override public void modelDisabled(RouterEvent.ModelDisabled e) { record("modelDisabled", e); }
    @Override public void breakerStateChanged(RouterEvent.BreakerStateChanged e) { record("breakerStateChanged", e); }
    @Override public void fellBack(RouterEvent.FellBack e) { record("fellBack", e); }
    @Override public void budgetWaited(RouterEvent.BudgetWaited e) { record("budgetWaited", e); }
    @Override public void retryBudgetExhausted(RouterEvent.RetryBudgetExhausted e) { record("retryBudgetExhausted", e); }
    @Override public void streamFinished(RouterEvent.StreamFinished e) { record("streamFinished", e); }
    @Override public void callFinished(RouterEvent.CallFinished e) { record("callFinished", e); }
  }

  @Test
  void oneOfEach_coversEveryPermittedEventType() {
    assertThat(oneOfEach().stream().map(Object::getClass).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(Arrays.asList(RouterEvent.class.getPermittedSubclasses()));
  }

  @Test
  void onEvent_dispatchesEachTypeToItsTypedMethodOnce() {
    Recording listener = new Recording();

    for (RouterEvent e : oneOfEach()) {
      listener.onEvent(e);
    }

    assertThat(listener.calls).containsExactly(
        "attemptStarted:AttemptStarted",
        "attemptFinished:AttemptFinished",
        "cooledDown:CooledDown",
        "keyDisabled:KeyDisabled",
        "keyEnabled:KeyEnabled",
        "modelDisabled:ModelDisabled",
        "breakerStateChanged:BreakerStateChanged",
        "fellBack:FellBack",
        "budgetWaited:BudgetWaited",
        "retryBudgetExhausted:RetryBudgetExhausted",
        "streamFinished:StreamFinished",
        "callFinished:CallFinished");
  }

  @Test
  void onEvent_passesTheSameInstance() {
    RouterEvent.KeyDisabled event = new RouterEvent.KeyDisabled("team-b", "org-2", Outcome.ORGANIZATION_FAULT,
        "enforced_spend_limit_reached");
    List<RouterEvent.KeyDisabled> seen = new ArrayList<>();
    RouterListener listener = new RouterListener() {
      @Override
      public void keyDisabled(RouterEvent.KeyDisabled e) {
        seen.add(e);
      }
    };

    listener.onEvent(event);

    assertThat(seen).singleElement().isSameAs(event);
  }

  @Test
  void onEvent_overridingTypedMethodsOnlySeesThoseEvents() {
    List<RouterEvent> seen = new ArrayList<>();
    RouterListener listener = new RouterListener() {
      @Override
      public void callFinished(RouterEvent.CallFinished e) {
        seen.add(e);
      }
    };

    oneOfEach().forEach(listener::onEvent);

    assertThat(seen).singleElement().isInstanceOf(RouterEvent.CallFinished.class);
  }

  @Test
  void none_isANoOpForEveryEventAndNull() {
    assertThatCode(() -> {
      oneOfEach().forEach(RouterListener.NONE::onEvent);
      RouterListener.NONE.onEvent(null);
    }).doesNotThrowAnyException();
  }
}
