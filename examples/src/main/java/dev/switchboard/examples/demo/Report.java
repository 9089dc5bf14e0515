package dev.switchboard.examples.demo;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Prints what the runs did: a table per key × model for each run, a side-by-side comparison, and
 * the machine-readable {@code SUMMARY {json}} line (always the last line of the demo's output).
 */
final class Report {
  private Report() {}

  /** Prints the per key × model table of one run. */
  static void table(PrintStream out, Tally t, String title) {
    out.println();
    out.println(title);
    String header = String.format(Locale.ROOT, "  %-28s %8s %7s %6s %9s %8s %9s %6s %9s %9s %9s",
        "key / model", "attempts", "ok", "429s", "cooldowns", "breaker", "fallbacks", "cache",
        "p50 ms", "p95 ms", "p99 ms");
    out.println(header);
    out.println("  " + "-".repeat(header.length() - 2));
    for (Map.Entry<String, Tally.Row> e : t.rows().entrySet()) {
      Tally.Row r = e.getValue();
      out.println(String.format(Locale.ROOT,
          "  %-28s %8d %7d %6d %9d %8d %9d %6d %9.1f %9.1f %9.1f", e.getKey(), r.attempts.sum(),
          r.successes.sum(), r.rateLimited.sum(), r.cooldowns.sum(), r.breakerTrips.sum(),
          r.fallbacks.sum(), r.cacheHits.sum(), r.percentileMillis(50), r.percentileMillis(95),
          r.percentileMillis(99)));
    }
    out.println("  (attempts/ok/429s and latency per attempt; fallbacks and cache hits per call, on"
        + " the route that answered; breaker = times a breaker opened)");
  }

  /** Prints the two runs side by side. */
  static void comparison(PrintStream out, Tally router, Tally baseline) {
    out.println();
    out.println("Same workload, same simulated world:");
    out.println(String.format(Locale.ROOT, "  %-34s %14s %14s", "", router.name, baseline.name));
    row(out, "requests", router.requests.sum(), baseline.requests.sum());
    row(out, "succeeded", router.succeeded.sum(), baseline.succeeded.sum());
    row(out, "failed", router.failed.sum(), baseline.failed.sum());
    row(out, "ended past their deadline", router.pastDeadline.sum(), baseline.pastDeadline.sum());
    row(out, "attempts sent", router.attempts.sum(), baseline.attempts.sum());
    row(out, "attempts answered 429", router.rateLimitedAttempts.sum(),
        baseline.rateLimitedAttempts.sum());
    row(out, "calls that fell back to a model", router.fallbacks.sum(), baseline.fallbacks.sum());
    row(out, "answers from the cache", router.cacheHits.sum(), baseline.cacheHits.sum());
    row(out, "keys disabled (and paged)", router.keysDisabled.size(), baseline.keysDisabled.size());
    out.println(String.format(Locale.ROOT, "  %-34s %14.4f %14.4f", "cost at list prices, USD",
        router.cost.sum(), baseline.cost.sum()));
    out.println(String.format(Locale.ROOT, "  %-34s %14.1f %14.1f", "latency p50 ms",
        router.percentileMillis(50), baseline.percentileMillis(50)));
    out.println(String.format(Locale.ROOT, "  %-34s %14.1f %14.1f", "latency p95 ms",
        router.percentileMillis(95), baseline.percentileMillis(95)));
    out.println(String.format(Locale.ROOT, "  %-34s %14.1f %14.1f", "latency p99 ms",
        router.percentileMillis(99), baseline.percentileMillis(99)));
    if (router.streamed.sum() + baseline.streamed.sum() > 0) {
      row(out, "streamed calls", router.streamed.sum(), baseline.streamed.sum());
      row(out, "streams broken after content", router.streamInterrupted.sum(),
          baseline.streamInterrupted.sum());
      row(out, "streams continued on another route", router.streamContinued.sum(),
          baseline.streamContinued.sum());
      out.println(String.format(Locale.ROOT, "  %-34s %14.1f %14.1f", "time to first token p50 ms",
          router.timeToFirstTokenMillis(50), baseline.timeToFirstTokenMillis(50)));
      out.println(String.format(Locale.ROOT, "  %-34s %14.1f %14.1f", "time to first token p95 ms",
          router.timeToFirstTokenMillis(95), baseline.timeToFirstTokenMillis(95)));
      out.println("  (a stream broken after content: the router ended it with "
          + "StreamInterruptedException; the naive loop sent the request again, so its caller saw "
          + "the answer start over)");
    }
    failures(out, router);
    failures(out, baseline);
  }

  /** Prints one run's outcome without a comparison. */
  static void alone(PrintStream out, Tally t) {
    out.println();
    out.println(String.format(Locale.ROOT, "%s: %d requests, %d succeeded, %d failed, %d past "
            + "their deadline; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms", t.name, t.requests.sum(),
        t.succeeded.sum(), t.failed.sum(), t.pastDeadline.sum(), t.percentileMillis(50),
        t.percentileMillis(95), t.percentileMillis(99)));
    if (t.streamed.sum() > 0) {
      out.println(String.format(Locale.ROOT, "  %d streamed: %d broken after content, %d continued "
              + "on another route; time to first token p50 %.1f ms, p95 %.1f ms", t.streamed.sum(),
          t.streamInterrupted.sum(), t.streamContinued.sum(), t.timeToFirstTokenMillis(50),
          t.timeToFirstTokenMillis(95)));
    }
    failures(out, t);
  }

  private static void failures(PrintStream out, Tally t) {
    if (!t.failures().isEmpty()) {
      out.println("  " + t.name + " failures by reason: " + t.failures());
    }
  }

  private static void row(PrintStream out, String name, long a, long b) {
    out.println(String.format(Locale.ROOT, "  %-34s %14d %14d", name, a, b));
  }

  /** Returns the summary fields of one run, in a stable order. */
  static Map<String, Object> fields(Tally t) {
    Map<String, Object> m = new LinkedHashMap<>();
    long requests = t.requests.sum();
    long succeeded = t.succeeded.sum();
    long eligible = requests - t.noHealthyRoute.sum();
    m.put("requests", requests);
    m.put("succeeded", succeeded);
    m.put("failed", t.failed.sum());
    m.put("past_deadline", t.pastDeadline.sum());
    m.put("no_healthy_route", t.noHealthyRoute.sum());
    m.put("success_rate", eligible == 0 ? 1.0 : round((double) succeeded / eligible, 4));
    m.put("attempts", t.attempts.sum());
    m.put("rate_limited_attempts", t.rateLimitedAttempts.sum());
    m.put("cooldowns", t.cooldowns.sum());
    m.put("breaker_trips", t.breakerTrips.sum());
    m.put("fallbacks", t.fallbacks.sum());
    m.put("cache_hits", t.cacheHits.sum());
    m.put("keys_disabled", t.keysDisabled.size());
    m.put("cost_usd", round(t.cost.sum(), 4));
    m.put("p50_ms", round(t.percentileMillis(50), 1));
    m.put("p95_ms", round(t.percentileMillis(95), 1));
    m.put("p99_ms", round(t.percentileMillis(99), 1));
    m.put("streamed", t.streamed.sum());
    m.put("stream_interrupted", t.streamInterrupted.sum());
    m.put("stream_continued", t.streamContinued.sum());
    m.put("stream_events", t.streamEvents.sum());
    m.put("ttft_p50_ms", round(t.timeToFirstTokenMillis(50), 1));
    m.put("ttft_p95_ms", round(t.timeToFirstTokenMillis(95), 1));
    return m;
  }

  /** Returns {@code SUMMARY {json}} from the given fields. */
  static String summaryLine(Map<String, Object> fields) {
    return "SUMMARY " + json(fields);
  }

  static String json(Map<String, Object> fields) {
    StringBuilder sb = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append(quote(e.getKey())).append(':');
      Object v = e.getValue();
      if (v instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> n = (Map<String, Object>) nested;
        sb.append(json(n));
      } else if (v instanceof Number || v instanceof Boolean) {
        sb.append(v);
      } else if (v == null) {
        sb.append("null");
      } else {
        sb.append(quote(v.toString()));
      }
    }
    return sb.append('}').toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
