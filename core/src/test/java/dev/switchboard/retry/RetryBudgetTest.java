package dev.switchboard.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void tryWithdraw_allowsTheReservePlusRatioOfCalls() {
    RetryBudget budget = new RetryBudget(ticker, 0.2, 1, Duration.ofSeconds(10));
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    int allowed = 0;
    while (budget.tryWithdraw()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(10 + 20);
  }

  @Test
  void tryWithdraw_recoversWhenWithdrawalsLeaveTheWindow() {
    RetryBudget budget = new RetryBudget(ticker, 0.0, 1, Duration.ofSeconds(10));
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryWithdraw()).isTrue();
    }
    assertThat(budget.tryWithdraw()).isFalse();

    ticker.advance(Duration.ofSeconds(5));
    assertThat(budget.tryWithdraw()).isFalse();
    ticker.advance(Duration.ofSeconds(6));
    assertThat(budget.balance()).isEqualTo(10.0);
    assertThat(budget.tryWithdraw()).isTrue();
  }

  @Test
  void deposit_olderThanTheWindowIsForgotten() {
    RetryBudget budget = new RetryBudget(ticker, 1.0, 0, Duration.ofSeconds(10));
    budget.deposit();
    budget.deposit();
    assertThat(budget.balance()).isEqualTo(2.0);
    ticker.advance(Duration.ofSeconds(11));
    assertThat(budget.balance()).isZero();
    assertThat(budget.tryWithdraw()).isFalse();
  }

  @Test
  void new_invalidWindow_failsNamingTheValue() {
    assertThatThrownBy(() -> new RetryBudget(ticker, 0.2, 1, Duration.ofMillis(1)))
        .hasMessage("retryBudget window must be >= PT0.01S but was PT0.001S");
  }
}
