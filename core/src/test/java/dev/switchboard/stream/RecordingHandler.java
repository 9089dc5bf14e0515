package dev.switchboard.stream;

import dev.switchboard.spi.StreamEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** A {@link StreamHandler} that records every call; thread-safe. Shared by the router's stream tests. */
public class RecordingHandler implements StreamHandler {
  public final List<StreamEvent> events = new CopyOnWriteArrayList<>();
  public final List<StreamResult> completions = new CopyOnWriteArrayList<>();
  public final List<Throwable> errors = new CopyOnWriteArrayList<>();
  public final CountDownLatch ended = new CountDownLatch(1);
  public final CountDownLatch firstContent = new CountDownLatch(1);

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

  public int terminals() {
    return completions.size() + errors.size();
  }

  public List<String> names() {
    return events.stream().map(StreamEvent::name).toList();
  }

  public String text() {
    StringBuilder sb = new StringBuilder();
    for (StreamEvent e : events) {
      if (e instanceof StreamEvent.ContentBlockDelta d && d.deltaType().equals("text_delta")) {
        sb.append(d.text());
      }
    }
    return sb.toString();
  }

  /** Returns how many events named {@code name} arrived. */
  public long count(String name) {
    return events.stream().filter(e -> e.name().equals(name)).count();
  }
}
