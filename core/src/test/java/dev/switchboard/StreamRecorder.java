package dev.switchboard;

import dev.switchboard.spi.StreamEvent;
import dev.switchboard.stream.StreamHandler;
import dev.switchboard.stream.StreamResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A {@link StreamHandler} that records every call it gets; thread-safe. */
class StreamRecorder implements StreamHandler {
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  final List<StreamResult> completions = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final CountDownLatch firstContent = new CountDownLatch(1);

  @Override
  public void onEvent(StreamEvent event) {
    events.add(event);
    if (event.isContent()) {
      firstContent.countDown();
    }
  }

  @Override
  public void onComplete(StreamResult result) {
    completions.add(result);
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
  }

  /** Returns how many terminal calls arrived (exactly one is the contract). */
  int terminals() {
    return completions.size() + errors.size();
  }

  List<String> names() {
    return events.stream().map(StreamEvent::name).toList();
  }

  long count(String name) {
    return events.stream().filter(e -> e.name().equals(name)).count();
  }

  /** Returns the text the caller received, concatenated. */
  String text() {
    StringBuilder sb = new StringBuilder();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.ContentBlockDelta d && d.deltaType().equals("text_delta")) {
        sb.append(d.text());
      }
    }
    return sb.toString();
  }
}
