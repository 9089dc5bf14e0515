package dev.switchboard.spi;

/**
 * Observes a router's decisions. Every method has a no-op default, so implementations override
 * only what they need and new events can be added without breaking them.
 *
 * <p>Methods are called on the router's threads, in the order of the decisions of one call. They
 * must be fast, must not block, and must not re-enter the router. An exception thrown from a
 * listener is caught and logged; it never fails a call.
 */
public interface RouterListener {

  /** A listener that does nothing. */
  RouterListener NONE = new RouterListener() {};

  /** Receives every event; by default dispatches to the typed methods below. */
  default void onEvent(RouterEvent event) {
    if (event instanceof RouterEvent.AttemptStarted e) {
      attemptStarted(e);
    } else if (event instanceof RouterEvent.AttemptFinished e) {
      attemptFinished(e);
    } else if (event instanceof RouterEvent.CooledDown e) {
      cooledDown(e);
    } else if (event instanceof RouterEvent.KeyDisabled e) {
      keyDisabled(e);
    } else if (event instanceof RouterEvent.KeyEnabled e) {
      keyEnabled(e);
    } else if (event instanceof RouterEvent.ModelDisabled e) {
      modelDisabled(e);
    } else if (event instanceof RouterEvent.BreakerStateChanged e) {
      breakerStateChanged(e);
    } else if (event instanceof RouterEvent.FellBack e) {
      fellBack(e);
    } else if (event instanceof RouterEvent.BudgetWaited e) {
      budgetWaited(e);
    } else if (event instanceof RouterEvent.RetryBudgetExhausted e) {
      retryBudgetExhausted(e);
    } else if (event instanceof RouterEvent.StreamFinished e) {
      streamFinished(e);
    } else if (event instanceof RouterEvent.CallFinished e) {
      callFinished(e);
    }
  }

  default void attemptStarted(RouterEvent.AttemptStarted event) {}

  default void attemptFinished(RouterEvent.AttemptFinished event) {}

  default void cooledDown(RouterEvent.CooledDown event) {}

  default void keyDisabled(RouterEvent.KeyDisabled event) {}

  default void keyEnabled(RouterEvent.KeyEnabled event) {}

  default void modelDisabled(RouterEvent.ModelDisabled event) {}

  default void breakerStateChanged(RouterEvent.BreakerStateChanged event) {}

  default void fellBack(RouterEvent.FellBack event) {}

  default void budgetWaited(RouterEvent.BudgetWaited event) {}

  default void retryBudgetExhausted(RouterEvent.RetryBudgetExhausted event) {}

  default void streamFinished(RouterEvent.StreamFinished event) {}

  default void callFinished(RouterEvent.CallFinished event) {}
}
