package dev.switchboard;

import dev.switchboard.schedule.FakeScheduler;
import dev.switchboard.spi.Candidate;
import dev.switchboard.spi.MessageRequest;
import dev.switchboard.spi.RouterEvent;
import dev.switchboard.spi.RouterListener;
import dev.switchboard.spi.RoutingStrategy;
import dev.switchboard.testkit.FakeTicker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Shared pieces of the router's unit tests. */
final class Fixtures {
  private Fixtures() {}

  /** Always takes the first eligible candidate: keys are tried in registration order. */
  static final RoutingStrategy FIRST = new RoutingStrategy() {
    @Override
    public int choose(List<? extends Candidate> candidates) {
      return 0;
    }
  };

  /** Records every event. */
  static final class Events implements RouterListener {
    final List<RouterEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(RouterEvent event) {
      all.add(event);
    }

    <T extends RouterEvent> List<T> of(Class<T> type) {
      return all.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  static MessageRequest request(int maxTokens) {
    return MessageRequest.builder().model("claude-opus-4-6").maxTokens(maxTokens)
        .addUserMessage("Hello there, how are you today?").build();
  }

  /** A builder over a fake transport, fake ticker and fake scheduler with deterministic choice. */
  static Switchboard.Builder builder(FakeTicker ticker, FakeScheduler scheduler, FakeTransport transport,
      Events events) {
    return Switchboard.builder().ticker(ticker).clock(ticker.clock()).scheduler(scheduler)
        .transport(transport).strategy(FIRST).listener(events)
        .random(new java.util.SplittableRandom(42)::nextLong);
  }
}
