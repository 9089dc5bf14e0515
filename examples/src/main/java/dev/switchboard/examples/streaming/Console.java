package dev.switchboard.examples.streaming;

import java.io.PrintStream;

/**
 * Where the example writes: streamed text on lines starting {@code "   > "}, and the router's
 * notes on lines of their own starting {@code "   [router] "}, even when a note arrives in the
 * middle of an answer. Thread-safe: the handler and the router's listener write from transport
 * threads.
 */
final class Console {
  private final PrintStream out;
  private boolean midLine;

  Console(PrintStream out) {
    this.out = out;
  }

  /** Writes a piece of streamed text, continuing the current answer line. */
  synchronized void text(String piece) {
    if (!midLine) {
      out.print("   > ");
      midLine = true;
    }
    out.print(piece);
    out.flush();
  }

  /** Writes a note of the router on its own line. */
  synchronized void note(String note) {
    endLine();
    out.println("   [router] " + note);
    out.flush();
  }

  /** Writes a line of the example's own. */
  synchronized void line(String line) {
    endLine();
    out.println(line);
    out.flush();
  }

  /** Ends the current answer line, if one is open. */
  synchronized void endLine() {
    if (midLine) {
      out.println();
      midLine = false;
    }
  }
}
