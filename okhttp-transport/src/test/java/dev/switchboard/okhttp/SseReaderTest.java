package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okio.Buffer;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  /** Returns "name|data" for every event of {@code text}. */
  private static List<String> read(String text) throws IOException {
    List<String> events = new ArrayList<>();
    new SseReader(new Buffer().writeUtf8(text), 1 << 20).readAll((name, data) -> {
      events.add(name + "|" + data);
      return true;
    });
    return events;
  }

  @Test
  void readAll_dispatchesNamedEventsOnBlankLines() throws IOException {
    assertThat(read("event: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_stop\ndata: {}\n\n"))
        .containsExactly("ping|{\"type\": \"ping\"}", "message_stop|{}");
  }

  @Test
  void readAll_joinsMultipleDataLinesWithLineFeeds() throws IOException {
    assertThat(read("event: x\ndata: first\ndata:second\ndata\ndata:  third\n\n"))
        .containsExactly("x|first\nsecond\n\n third");
  }

  @Test
  void readAll_stripsExactlyOneLeadingSpace() throws IOException {
    assertThat(read("data:no space\n\ndata: one\n\ndata:  two\n\n"))
        .containsExactly("message|no space", "message|one", "message| two");
  }

  @Test
  void readAll_ignoresCommentsIdRetryAndUnknownFields() throws IOException {
    assertThat(read(": this is a comment\n:\nid: 7\nretry: 1000\nfoo: bar\nevent: e\ndata: d\n\n"))
        .containsExactly("e|d");
  }

  @Test
  void readAll_acceptsCrLfAndLoneCrLineEnds() throws IOException {
    assertThat(read("event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\revent: c\ndata: 3\n\n"))
        .containsExactly("a|1", "b|2", "c|3");
  }

  @Test
  void readAll_namesEventsWithoutEventFieldMessage() throws IOException {
    assertThat(read("data: plain\n\n")).containsExactly("message|plain");
  }

  @Test
  void readAll_doesNotDispatchEventsWithoutData() throws IOException {
    assertThat(read("event: lonely\n\nevent: second\ndata: x\n\n")).containsExactly("second|x");
  }

  @Test
  void readAll_discardsAnUnterminatedEventAtEndOfInput() throws IOException {
    assertThat(read("event: a\ndata: 1\n\nevent: b\ndata: 2\n")).containsExactly("a|1");
    assertThat(read("event: a\ndata: 1\n\nevent: b\ndata: 2")).containsExactly("a|1");
  }

  @Test
  void readAll_skipsLeadingByteOrderMarkAndKeepsUtf8() throws IOException {
    assertThat(read("\uFEFFevent: e\ndata: h\u00e9llo \u2603 \uD83D\uDE00\n\n"))
        .containsExactly("e|h\u00e9llo \u2603 \uD83D\uDE00");
  }

  @Test
  void readAll_colonInValueIsKept() throws IOException {
    assertThat(read("data: {\"a\":\"b:c\"}\n\n")).containsExactly("message|{\"a\":\"b:c\"}");
  }

  @Test
  void readAll_stopsWhenTheHandlerSaysSo() throws IOException {
    List<String> names = new ArrayList<>();
    boolean stopped = new SseReader(new Buffer().writeUtf8("data: 1\n\ndata: 2\n\ndata: 3\n\n"), 1024)
        .readAll((name, data) -> {
          names.add(data);
          return !data.equals("2");
        });

    assertThat(stopped).isTrue();
    assertThat(names).containsExactly("1", "2");
  }

  @Test
  void readAll_rejectsAnEventLongerThanTheBound() {
    String longLine = "data: " + "x".repeat(5000) + "\n\n";

    assertThatThrownBy(() -> new SseReader(new Buffer().writeUtf8(longLine), 1024)
        .readAll((name, data) -> true))
        .isInstanceOf(IOException.class)
        .hasMessage("server-sent event longer than 1024 bytes");
  }
}
