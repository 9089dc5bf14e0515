package dev.switchboard.examples.demo;

import dev.switchboard.spi.MessageRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The demo's traffic: a seeded, reproducible list of calls from dozens of tenants, each with an
 * arrival time inside the run's window, a service class (deadline and per-attempt timeout) and a
 * prompt. A quarter of the tenants are FAQ bots that keep asking the same few questions (what a
 * response cache should serve); a few send long documents. A share of the calls, drawn from a
 * random sequence of their own (so the share changes nothing else), are streamed. Immutable.
 */
final class Workload {
  /** What a tenant pays for: how long its callers wait, and how long one attempt may take. */
  enum ServiceClass {
    INTERACTIVE, STANDARD, BATCH
  }

  /**
   * One call of the workload.
   *
   * @param index position in arrival order, from 0
   * @param tenant the tenant (user id given to the router)
   * @param serviceClass the tenant's service class
   * @param arrivalNanos when the call starts, after the run's start
   * @param request what is sent
   * @param deadline how long the caller waits in all
   * @param attemptTimeout how long one attempt may take
   * @param repeat true when the tenant asked this exact question before
   * @param cacheable true when the tenant opts its calls in to the response cache (the FAQ bots)
   * @param stream true when the caller wants the answer streamed, token by token
   */
  record CallSpec(int index, String tenant, ServiceClass serviceClass, long arrivalNanos,
      MessageRequest request, Duration deadline, Duration attemptTimeout, boolean repeat,
      boolean cacheable, boolean stream) {}

  private static final String[] FAQ = {
      "What are your opening hours?",
      "How do I reset my password?",
      "Where is my order?",
      "Can I change my delivery address?",
      "How do I cancel my subscription?",
      "Do you ship internationally?",
  };

  private static final String[] TOPICS = {
      "the quarterly revenue report", "a failing integration test", "the onboarding checklist",
      "a customer complaint about latency", "the migration to Java 17", "an outage post-mortem",
      "the new pricing page", "a pull request touching the billing code", "the incident runbook",
      "a contract renewal email",
  };

  private final List<CallSpec> calls;
  private final int tenants;

  private Workload(List<CallSpec> calls, int tenants) {
    this.calls = List.copyOf(calls);
    this.tenants = tenants;
  }

  /**
   * Returns {@code count} calls from {@code tenants} tenants arriving over {@code window}, drawn
   * from {@code seed}, all for {@code model}; {@code maxTokensCap} above 0 lowers every call's
   * {@code max_tokens} to at most that (for runs against the real API); each call is streamed
   * with probability {@code streamShare}.
   *
   * @throws IllegalArgumentException when streamShare is not within [0, 1]
   */
  static Workload generate(long seed, int count, int tenants, Duration window, String model,
      Deadlines deadlines, int maxTokensCap, double streamShare) {
    if (!(streamShare >= 0 && streamShare <= 1)) {
      throw new IllegalArgumentException("streamShare must be within [0, 1] but was "
          + streamShare);
    }
    Random random = new Random(seed);
    // a sequence of its own: the share of streams changes no prompt, tenant or arrival
    Random streams = new Random(seed ^ 0x5EED_57EAL);
    ServiceClass[] classes = new ServiceClass[tenants];
    boolean[] faqBot = new boolean[tenants];
    for (int t = 0; t < tenants; t++) {
      classes[t] = t % 4 == 0 ? ServiceClass.INTERACTIVE
          : t % 4 == 3 ? ServiceClass.BATCH : ServiceClass.STANDARD;
      faqBot[t] = t % 4 == 1;
    }
    long windowNanos = window.toNanos();
    long[] arrivals = new long[count];
    for (int i = 0; i < count; i++) {
      arrivals[i] = (long) (random.nextDouble() * windowNanos);
    }
    java.util.Arrays.sort(arrivals);
    List<java.util.Set<String>> asked = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      asked.add(new java.util.HashSet<>());
    }
    List<CallSpec> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int t = random.nextInt(tenants);
      String tenant = String.format("tenant-%02d", t + 1);
      ServiceClass sc = classes[t];
      String prompt;
      int maxTokens;
      if (faqBot[t]) {
        prompt = FAQ[random.nextInt(FAQ.length)];
        maxTokens = 128;
      } else if (sc == ServiceClass.BATCH) {
        String topic = TOPICS[random.nextInt(TOPICS.length)];
        prompt = document(random, topic, 400 + random.nextInt(3_600));
        maxTokens = 512;
      } else {
        prompt = "Call " + i + ": give me three bullet points about "
            + TOPICS[random.nextInt(TOPICS.length)] + ".";
        maxTokens = 256;
      }
      if (maxTokensCap > 0) {
        maxTokens = Math.min(maxTokens, maxTokensCap);
      }
      boolean repeat = !asked.get(t).add(prompt);
      MessageRequest.Builder request = MessageRequest.builder().model(model).maxTokens(maxTokens)
          .system("You are the assistant of " + tenant + ". Be brief.")
          .addUserMessage(prompt);
      if (faqBot[t]) {
        request.temperature(0.0); // the same question deserves the same answer
      }
      boolean stream = streams.nextDouble() < streamShare;
      calls.add(new CallSpec(i, tenant, sc, arrivals[i], request.build(), deadlines.deadline(sc),
          deadlines.attemptTimeout(sc), repeat, faqBot[t], stream));
    }
    calls.sort(Comparator.comparingLong(CallSpec::arrivalNanos));
    return new Workload(calls, tenants);
  }

  /** Returns the calls in arrival order. */
  List<CallSpec> calls() {
    return calls;
  }

  /** Returns the number of tenants. */
  int tenants() {
    return tenants;
  }

  /** Returns how many calls repeat a question their tenant asked before. */
  long repeats() {
    return calls.stream().filter(CallSpec::repeat).count();
  }

  /** Returns how many calls are streamed. */
  long streamed() {
    return calls.stream().filter(CallSpec::stream).count();
  }

  /** Returns the longest deadline of any call. */
  Duration longestDeadline() {
    return calls.stream().map(CallSpec::deadline).max(Comparator.naturalOrder())
        .orElse(Duration.ZERO);
  }

  private static String document(Random random, String topic, int chars) {
    StringBuilder sb = new StringBuilder("Summarise this document about ").append(topic)
        .append(":\n");
    String[] words = {"latency", "budget", "customer", "release", "invoice", "router", "deadline",
        "quarter", "metric", "team", "service", "request", "growth", "risk", "plan"};
    while (sb.length() < chars) {
      sb.append(words[random.nextInt(words.length)]).append(random.nextInt(7) == 0 ? ". " : " ");
    }
    return sb.toString();
  }

  /** The deadline and attempt timeout of each service class. */
  record Deadlines(Duration interactive, Duration standard, Duration batch,
      Duration attemptInteractive, Duration attemptStandard, Duration attemptBatch) {

    Duration deadline(ServiceClass sc) {
      return switch (sc) {
        case INTERACTIVE -> interactive;
        case STANDARD -> standard;
        case BATCH -> batch;
      };
    }

    Duration attemptTimeout(ServiceClass sc) {
      return switch (sc) {
        case INTERACTIVE -> attemptInteractive;
        case STANDARD -> attemptStandard;
        case BATCH -> attemptBatch;
      };
    }
  }
}
