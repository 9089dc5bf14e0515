package dev.switchboard.stream;

import dev.switchboard.spi.StreamEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A {@link StreamHandler} that records every call; thread-safe. */
final class RecordingHandler implements StreamHandler {
  final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  final List<StreamResult> completions = new CopyOnWriteArrayList<>();
  final List<Throwable> errors = new CopyOnWriteArrayList<>();
  final CountDownLatch ended = new CountDownLatch(1);
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
    ended.countDown();
  }

  @Override
  public void onError(Throwable error) {
    errors.add(error);
    ended.countDown();
  }

  int terminals() {
    return completions.size() + errors.size();
  }

  List<String> names() {
    return events.stream().map(StreamEvent::name).toList();
  }

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
