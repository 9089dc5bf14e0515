package dev.switchboard.examples.shared;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.CallOptions;
import dev.switchboard.Switchboard;
import dev.switchboard.admission.TenantPolicy;
import dev.switchboard.cache.CachePolicy;
import dev.switchboard.redis.RedisStateStore;
import dev.switchboard.spi.Providers;
import dev.switchboard.spi.RoutingStrategyProvider;
import dev.switchboard.spi.StateStoreProvider;
import dev.switchboard.spi.TransportConfig;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/configuration.md} honest: every public option of the builders it documents,
 * and every provider name found on the class path, appears in it.
 */
class ConfigurationDocTest {
  private static final Path DOC = Path.of("..", "docs", "configuration.md");

  @Test
  void doc_namesEveryBuilderOption() throws IOException {
    String doc = Files.readString(DOC);

    for (Class<?> builder : List.of(Switchboard.Builder.class, TransportConfig.Builder.class,
        RedisStateStore.Builder.class)) {
      assertThat(options(builder)).as("options of %s", builder.getName()).isNotEmpty()
          .allSatisfy(name -> assertThat(doc).as("docs/configuration.md").contains("`" + name + "("));
    }
    List<String> callOptions = Arrays.stream(CallOptions.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && m.getReturnType() == CallOptions.class)
        .map(Method::getName).distinct().toList();
    assertThat(callOptions).isNotEmpty()
        .allSatisfy(name -> assertThat(doc).contains("`" + name + "("));
    for (Class<?> values : List.of(CachePolicy.Builder.class, TenantPolicy.Builder.class)) {
      assertThat(options(values)).allSatisfy(name -> assertThat(doc).contains("`" + name));
    }
  }

  @Test
  void doc_namesEveryProviderFound() throws IOException {
    String doc = Files.readString(DOC);
    ClassLoader loader = getClass().getClassLoader();

    Set<String> strategies = Providers.all(RoutingStrategyProvider.class, loader).keySet();
    Set<String> stores = Providers.all(StateStoreProvider.class, loader).keySet();

    assertThat(stores).containsExactlyInAnyOrder("local", "redis");
    assertThat(strategies).contains("headroom", "round-robin", "weighted", "least-in-flight",
        "lowest-latency");
    for (String name : strategies) {
      assertThat(doc).contains("`" + name + "`");
    }
    for (String name : stores) {
      assertThat(doc).contains("`\"" + name + "\"`");
    }
  }

  private static List<String> options(Class<?> builder) {
    return Arrays.stream(builder.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.getName().equals("build"))
        .map(Method::getName).distinct().sorted().toList();
  }
}
