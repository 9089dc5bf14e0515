package dev.switchboard.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuickstartTest {

  @Test
  void run_answersThroughThePrimaryModel() {
    try (Simulator sim = Simulator.withDefaults()) {
      PrintStream original = System.out;
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      try {
        Quickstart.run(sim.baseUrl(), Simulator.Builder.PRESET_KEYS.get("team-a"),
            Simulator.Builder.PRESET_KEYS.get("team-c"));
      } finally {
        System.setOut(original);
      }

      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("claude-opus-4-6 answered via team-").contains("after 1 attempt(s): ");
      assertThat(sim.calls()).hasSize(1);
      assertThat(sim.calls().get(0).status()).isEqualTo(200);
    }
  }

  @Test
  void main_runsAgainstTheEmbeddedSimulatorWithoutAnApiKey() {
    if (System.getenv("ANTHROPIC_API_KEY") != null) {
      return; // main would call the real API; run() is covered above
    }
    Quickstart.main(new String[0]);
  }

  /** The README's Java snippet is the quickstart region of Quickstart.java, line for line. */
  @Test
  void readmeSnippet_isTheCompiledQuickstart() throws IOException {
    List<String> readme = javaBlock(Files.readAllLines(Path.of("..", "README.md")));
    List<String> source = region(Files.readAllLines(
        Path.of("src/main/java/dev/switchboard/examples/Quickstart.java")));

    assertThat(readme).isNotEmpty().isEqualTo(source);
  }

  private static List<String> javaBlock(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.strip().equals("```java")) {
        in = true;
      } else if (in && l.strip().equals("```")) {
        break;
      } else if (in && !l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }

  private static List<String> region(List<String> lines) {
    List<String> out = new ArrayList<>();
    boolean in = false;
    for (String l : lines) {
      if (l.contains("@start region=quickstart")) {
        in = true;
      } else if (l.contains("@end region=quickstart")) {
        break;
      } else if (in && !l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }
}
