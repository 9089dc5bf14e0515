package dev.switchboard.okhttp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import okio.Buffer;
import okio.BufferedSource;
import okio.ByteString;

/**
 * Reads a {@code text/event-stream} body per the WHATWG "server-sent events" parsing rules.
 *
 * <ul>
 *   <li>Lines end with CRLF, LF or CR; a leading byte-order mark is skipped.
 *   <li>A line starting with {@code :} is a comment and ignored.
 *   <li>{@code field:value} (one leading space of the value stripped); a line without a colon is a
 *       field with an empty value.
 *   <li>{@code event} sets the event name; {@code data} appends its value and a line feed to the
 *       data buffer; {@code id}, {@code retry} and unknown fields are ignored.
 *   <li>A blank line dispatches: when the data buffer is not empty, the event (named
 *       {@code message} when no {@code event} field came) with the buffer minus its final line
 *       feed; then the name and buffer reset.
 *   <li>At end of input a pending, undispatched event is discarded.
 * </ul>
 *
 * <p>Lines and events are bounded ({@code maxEventBytes}): an endless line or event is an
 * {@link IOException}, not an out-of-memory error. Not thread-safe; one reader per body.
 */
final class SseReader {
  /** Receives dispatched events. */
  interface Handler {
    /**
     * Receives one event.
     *
     * @return true to go on reading, false to stop
     */
    boolean onEvent(String name, String data) throws IOException;
  }

  private static final ByteString LINE_ENDS = ByteString.encodeUtf8("\r\n");
  private static final ByteString BOM = ByteString.decodeHex("efbbbf");

  private final BufferedSource source;
  private final long maxEventBytes;
  private final StringBuilder data = new StringBuilder();
  private String eventName;
  private boolean skipLfAfterCr;

  SseReader(BufferedSource source, long maxEventBytes) {
    this.source = source;
    this.maxEventBytes = maxEventBytes;
  }

  /**
   * Reads events until the handler asks to stop or the input ends.
   *
   * @return true when the handler stopped the reading, false at end of input
   * @throws IOException when reading fails or an event exceeds the bound
   */
  boolean readAll(Handler handler) throws IOException {
    if (source.rangeEquals(0, BOM)) {
      source.skip(BOM.size());
    }
    while (true) {
      if (skipLfAfterCr) {
        skipLfAfterCr = false;
        if (source.request(1) && source.getBuffer().getByte(0) == '\n') {
          source.skip(1);
        }
      }
      long end = indexOfLineEnd();
      if (end < 0) {
        return false;
      }
      String line = source.readString(end, StandardCharsets.UTF_8);
      byte terminator = source.readByte();
      skipLfAfterCr = terminator == '\r';
      if (line.isEmpty()) {
        if (!dispatch(handler)) {
          return true;
        }
      } else {
        processLine(line);
      }
    }
  }

  private long indexOfLineEnd() throws IOException {
    long scanned = 0;
    while (true) {
      Buffer buffer = source.getBuffer();
      long index = buffer.indexOfElement(LINE_ENDS, scanned);
      if (index >= 0) {
        return index;
      }
      scanned = buffer.size();
      if (scanned + data.length() > maxEventBytes) {
        throw new IOException("server-sent event longer than " + maxEventBytes + " bytes");
      }
      if (!source.request(scanned + 1)) {
        return -1;
      }
    }
  }

  private void processLine(String line) throws IOException {
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field;
    String value;
    if (colon < 0) {
      field = line;
      value = "";
    } else {
      field = line.substring(0, colon);
      int start = colon + 1;
      if (start < line.length() && line.charAt(start) == ' ') {
        start++;
      }
      value = line.substring(start);
    }
    switch (field) {
      case "event" -> eventName = value;
      case "data" -> {
        data.append(value).append('\n');
        if (data.length() > maxEventBytes) {
          throw new IOException("server-sent event longer than " + maxEventBytes + " bytes");
        }
      }
      default -> {
        // id, retry and unknown fields: nothing to do for the Messages API
      }
    }
  }

  private boolean dispatch(Handler handler) throws IOException {
    if (data.length() == 0) {
      eventName = null;
      return true;
    }
    String payload = data.substring(0, data.length() - 1);
    String name = eventName == null || eventName.isEmpty() ? "message" : eventName;
    data.setLength(0);
    eventName = null;
    return handler.onEvent(name, payload);
  }
}
