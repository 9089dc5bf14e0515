package dev.switchboard.stream;

import dev.switchboard.spi.ProviderResponse;
import dev.switchboard.spi.StreamEvent;
import dev.switchboard.spi.Usage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Records what a gate passes downstream and tells its observer. Thread-safe. */
final class Recorder implements StreamGate.Observer, Consumer<StreamEvent> {
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  final List<StreamOutcome> outcomes = new CopyOnWriteArrayList<>();
  final List<Usage> increments = new CopyOnWriteArrayList<>();
  final List<Usage> totals = new CopyOnWriteArrayList<>();
  final List<ProviderResponse> headers = new CopyOnWriteArrayList<>();
  /** Events that arrived after the outcome: must stay empty. */
  final List<StreamEvent> late = new CopyOnWriteArrayList<>();

  @Override
  public void accept(StreamEvent event) {
    if (!outcomes.isEmpty()) {
      late.add(event);
    }
    events.add(event);
  }

  @Override
  public void onHeaders(ProviderResponse response) {
    headers.add(response);
  }

  @Override
  public void onUsage(Usage increment, Usage total) {
    increments.add(increment);
    totals.add(total);
  }

  @Override
  public void onOutcome(StreamOutcome outcome) {
    outcomes.add(outcome);
  }

  StreamOutcome outcome() {
    if (outcomes.size() != 1) {
      throw new AssertionError("expected exactly one outcome but got " + outcomes);
    }
    return outcomes.get(0);
  }

  List<String> names() {
    return events.stream().map(StreamEvent::name).toList();
  }
}
