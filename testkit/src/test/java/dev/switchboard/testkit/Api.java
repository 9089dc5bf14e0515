package dev.switchboard.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A tiny JDK HttpClient wrapper for driving the simulator over real sockets in tests. */
final class Api {
  static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  static final String VERSION = "2023-06-01";

  private Api() {}

  /** Returns a minimal valid messages body. */
  static String body(String model, int maxTokens, String userText) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
  }

  /** Returns a minimal valid streaming messages body. */
  static String streamBody(String model, int maxTokens, String userText) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"stream\":true"
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + userText + "\"}]}";
  }

  static HttpRequest.Builder request(Simulator sim, String path, String secret, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      b.header("x-api-key", secret);
    }
    return b;
  }

  /** Posts {@code body} to {@code /v1/messages} with the version header set. */
  static HttpResponse<String> messages(Simulator sim, String secret, String body) {
    return send(request(sim, "/v1/messages", secret, body).header("anthropic-version", VERSION));
  }

  static HttpResponse<String> countTokens(Simulator sim, String secret, String body) {
    return send(request(sim, "/v1/messages/count_tokens", secret, body)
        .header("anthropic-version", VERSION));
  }

  static HttpResponse<String> send(HttpRequest.Builder b) {
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses a JSON body into maps and lists. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> json(HttpResponse<String> r) {
    try {
      return (Map<String, Object>) Wire.parse(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + r.body(), e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> obj(Object o) {
    return (Map<String, Object>) o;
  }

  /** Returns {@code error.type} of an error body. */
  static String errorType(HttpResponse<String> r) {
    return (String) obj(json(r).get("error")).get("type");
  }

  static String errorMessage(HttpResponse<String> r) {
    return (String) obj(json(r).get("error")).get("message");
  }

  static String header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static long usage(HttpResponse<String> r, String field) {
    return ((Number) obj(json(r).get("usage")).get(field)).longValue();
  }

  /** One SSE event: its name and its parsed data. */
  record Event(String name, Map<String, Object> data, String rawData) {}

  /** Splits an SSE body into events, checking that each has one event and one data line. */
  static List<Event> events(String sse) {
    List<Event> out = new ArrayList<>();
    for (String block : sse.split("\n\n")) {
      if (block.isBlank()) {
        continue;
      }
      String[] lines = block.split("\n");
      if (lines.length != 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
        throw new AssertionError("malformed SSE event: " + block);
      }
      String data = lines[1].substring(6);
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) Wire.parse(data);
        out.add(new Event(lines[0].substring(7), parsed, data));
      } catch (IOException e) {
        throw new AssertionError("data is not JSON: " + data, e);
      }
    }
    return out;
  }

  static List<String> names(List<Event> events) {
    return events.stream().map(Event::name).toList();
  }
}
