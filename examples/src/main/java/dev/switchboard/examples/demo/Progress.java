package dev.switchboard.examples.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The live progress of a run on stderr: a bar redrawn in place with {@code \r} on a terminal, or a
 * plain line every few seconds when stderr is not a terminal (CI logs, pipes). Event lines from the
 * run ({@link #log}) are printed above the bar. Thread-safe.
 */
final class Progress implements AutoCloseable {
  /** How progress is shown. */
  enum Mode {
    /** A bar on a terminal, plain lines otherwise (and always on CI). */
    AUTO,
    /** A bar redrawn in place with carriage returns. */
    BAR,
    /** One plain line every five seconds. */
    LINES,
    /** Nothing but the event lines. */
    NONE
  }

  private static final int WIDTH = 20;

  private final PrintStream err;
  private final Mode mode;
  private final String label;
  private final Tally tally;
  private final int total;
  private final Supplier<String> status;
  private volatile long start = System.nanoTime();
  private final ScheduledExecutorService timer;
  private boolean barShown;

  Progress(PrintStream err, Mode mode, String label, Tally tally, int total,
      Supplier<String> status) {
    this.err = err;
    this.mode = resolve(mode);
    this.label = label;
    this.tally = tally;
    this.total = total;
    this.status = status;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-progress");
      t.setDaemon(true);
      return t;
    });
    if (this.mode == Mode.BAR) {
      timer.scheduleAtFixedRate(this::draw, 0, 200, TimeUnit.MILLISECONDS);
    } else if (this.mode == Mode.LINES) {
      timer.scheduleAtFixedRate(this::line, 5, 5, TimeUnit.SECONDS);
    }
  }

  /** Restarts the clock of the stamps and of the elapsed time (when the run itself begins). */
  void begin() {
    start = System.nanoTime();
  }

  /** Resolves AUTO: a bar only on an interactive terminal outside CI. */
  static Mode resolve(Mode mode) {
    if (mode != Mode.AUTO) {
      return mode;
    }
    boolean ci = System.getenv("CI") != null;
    boolean dumb = "dumb".equals(System.getenv("TERM"));
    return System.console() != null && !ci && !dumb ? Mode.BAR : Mode.LINES;
  }

  /** Prints one event line, stamped with the run's elapsed time, above the bar. */
  synchronized void log(String message) {
    clearBar();
    err.printf(Locale.ROOT, "  [%s %5.1fs] %s%n", label, elapsedSeconds(), message);
    err.flush();
  }

  private synchronized void draw() {
    long done = tally.completed.sum();
    int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, done * WIDTH / total);
    // short enough for an 80-column terminal, or the carriage return cannot redraw it
    String bar = String.format(Locale.ROOT, "%-8s [%s%s] %d/%d  ok %d  failed %d  429s %d  %.1fs",
        label, "#".repeat(filled), "-".repeat(WIDTH - filled), done, total, tally.succeeded.sum(),
        tally.failed.sum(), tally.rateLimitedAttempts.sum(), elapsedSeconds());
    err.print("\r" + String.format(Locale.ROOT, "%-79s", bar));
    err.flush();
    barShown = true;
  }

  private synchronized void line() {
    long done = tally.completed.sum();
    err.println(String.format(Locale.ROOT, "%-8s %5d/%d done, %4d in flight, %5d ok, %4d failed, "
            + "%4d x429  %s %5.1fs", label, done, total, tally.requests.sum() - done,
        tally.succeeded.sum(), tally.failed.sum(), tally.rateLimitedAttempts.sum(), status.get(),
        elapsedSeconds()));
    err.flush();
  }

  private void clearBar() {
    if (barShown) {
      err.print("\r" + " ".repeat(79) + "\r");
      barShown = false;
    }
  }

  private double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Stops updating and prints the final state on its own line. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (mode == Mode.BAR) {
        draw();
        err.println();
      } else if (mode == Mode.LINES) {
        line();
      }
      err.flush();
    }
  }
}
