package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.spi.ProviderFixtures.Alpha;
import dev.switchboard.spi.ProviderFixtures.AlphaTwin;
import dev.switchboard.spi.ProviderFixtures.Beta;
import dev.switchboard.spi.ProviderFixtures.Blank;
import dev.switchboard.spi.ProviderFixtures.FixedStrategy;
import dev.switchboard.spi.ProviderFixtures.GadgetProvider;
import dev.switchboard.spi.ProviderFixtures.HighPriority;
import dev.switchboard.spi.ProviderFixtures.LowPriority;
import dev.switchboard.spi.ProviderFixtures.ThrowingConstructor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvidersTest {
  private static final String GADGET_FILE = "META-INF/services/" + GadgetProvider.class.getName();

  @TempDir
  Path dir;

  private final List<URLClassLoader> loaders = new ArrayList<>();

  @AfterEach
  void closeLoaders() throws IOException {
    for (URLClassLoader l : loaders) {
      l.close();
    }
  }

  /**
   * Returns a class loader whose only extra resource is a services file for {@code service} in a
   * directory of its own, listing {@code lines}; the classes themselves come from the parent.
   */
  private ClassLoader serving(Class<?> service, String... lines) {
    try {
      Path file = dir.resolve("META-INF/services/" + service.getName());
      Files.createDirectories(file.getParent());
      Files.writeString(file, "# test providers\n" + String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
      URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
      loaders.add(loader);
      return loader;
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ClassLoader serving(Class<?> service, Class<?>... providers) {
    String[] lines = new String[providers.length];
    for (int i = 0; i < providers.length; i++) {
      lines[i] = providers[i].getName();
    }
    return serving(service, lines);
  }

  @Test
  void all_isEmptyOnTheTestClassPath() {
    ClassLoader plain = getClass().getClassLoader();

    assertThat(Providers.all(GadgetProvider.class, plain)).isEmpty();
    assertThat(Providers.all(TransportProvider.class, plain)).isEmpty();
    assertThat(Providers.all(RoutingStrategyProvider.class, plain)).isEmpty();
    assertThat(Providers.all(StateStoreProvider.class, plain)).isEmpty();
  }

  @Test
  void all_returnsProvidersByNameInDiscoveryOrder() {
    Map<String, GadgetProvider> all = Providers.all(GadgetProvider.class, serving(GadgetProvider.class, Beta.class, Alpha.class));

    assertThat(all).containsOnlyKeys("beta", "alpha");
    assertThat(all.keySet()).containsExactly("beta", "alpha");
    assertThat(all.get("alpha")).isInstanceOf(Alpha.class);
  }

  @Test
  void find_noneFoundNamesTheServicesFileToAdd() {
    assertThatThrownBy(() -> Providers.find(RoutingStrategyProvider.class, null, getClass().getClassLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no RoutingStrategyProvider found on the class path; add a module that provides one"
            + " (listed in META-INF/services/dev.switchboard.spi.RoutingStrategyProvider)");
  }

  @Test
  void find_noneFoundWithANameSaysWhatWasLookedFor() {
    assertThatThrownBy(() -> Providers.find(GadgetProvider.class, "alpha", getClass().getClassLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no GadgetProvider found on the class path (looking for 'alpha'); add a module that"
            + " provides one (listed in " + GADGET_FILE + ")");
  }

  @Test
  void find_byNameReturnsThatProvider() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, Beta.class, HighPriority.class);

    assertThat(Providers.find(GadgetProvider.class, "beta", loader)).isInstanceOf(Beta.class);
  }

  @Test
  void find_byNameBeatsPriority() {
    ClassLoader loader = serving(GadgetProvider.class, HighPriority.class, LowPriority.class);

    assertThat(Providers.find(GadgetProvider.class, "low", loader)).isInstanceOf(LowPriority.class);
  }

  @Test
  void find_unknownNameListsTheNamesFound() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, Beta.class);

    assertThatThrownBy(() -> Providers.find(GadgetProvider.class, "gamma", loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no GadgetProvider named 'gamma'; found [alpha, beta] (listed in " + GADGET_FILE + ")");
  }

  @Test
  void find_namesAreCaseSensitive() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class);

    assertThatThrownBy(() -> Providers.find(GadgetProvider.class, "Alpha", loader))
        .hasMessage("no GadgetProvider named 'Alpha'; found [alpha] (listed in " + GADGET_FILE + ")");
  }

  @Test
  void all_duplicateNamesAreRefusedNamingBothClasses() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, Beta.class, AlphaTwin.class);

    assertThatThrownBy(() -> Providers.all(GadgetProvider.class, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("two GadgetProviders are named 'alpha': " + Alpha.class.getName() + " and "
            + AlphaTwin.class.getName() + "; remove one from the class path or rename it");
  }

  @Test
  void find_duplicateNamesFailEvenWhenAskingForAnother() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, AlphaTwin.class, Beta.class);

    assertThatThrownBy(() -> Providers.find(GadgetProvider.class, "beta", loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("two GadgetProviders are named 'alpha'");
  }

  @Test
  void all_providerThrowingInItsConstructorNamesTheServicesFile() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, ThrowingConstructor.class);

    assertThatThrownBy(() -> Providers.all(GadgetProvider.class, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a GadgetProvider listed in " + GADGET_FILE + " failed to load: ")
        .hasMessageContaining(ThrowingConstructor.class.getName())
        .hasCauseInstanceOf(ServiceConfigurationError.class)
        .hasRootCauseMessage("missing REDIS_URL");
  }

  @Test
  void all_missingProviderClassNamesTheServicesFileAndTheClass() {
    ClassLoader loader = serving(GadgetProvider.class, "dev.switchboard.spi.NoSuchProvider");

    assertThatThrownBy(() -> Providers.all(GadgetProvider.class, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a GadgetProvider listed in " + GADGET_FILE + " failed to load: ")
        .hasMessageContaining("dev.switchboard.spi.NoSuchProvider");
  }

  @Test
  void all_classOfTheWrongTypeIsRefused() {
    ClassLoader loader = serving(GadgetProvider.class, FixedStrategy.class);

    assertThatThrownBy(() -> Providers.all(GadgetProvider.class, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("a GadgetProvider listed in " + GADGET_FILE + " failed to load: ")
        .hasMessageContaining(FixedStrategy.class.getName());
  }

  @Test
  void all_blankNameIsRefused() {
    ClassLoader loader = serving(GadgetProvider.class, Blank.class);

    assertThatThrownBy(() -> Providers.all(GadgetProvider.class, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("GadgetProvider " + Blank.class.getName() + " has a blank name()");
  }

  @Test
  void find_withoutNameTakesTheHighestPriority() {
    ClassLoader loader = serving(GadgetProvider.class, LowPriority.class, Alpha.class, HighPriority.class);

    assertThat(Providers.find(GadgetProvider.class, null, loader)).isInstanceOf(HighPriority.class);
  }

  @Test
  void find_withoutNameTakesTheOnlyProvider() {
    ClassLoader loader = serving(GadgetProvider.class, LowPriority.class);

    assertThat(Providers.find(GadgetProvider.class, null, loader)).isInstanceOf(LowPriority.class);
  }

  @Test
  void find_withoutNameEqualTopPrioritiesAreRefused() {
    ClassLoader loader = serving(GadgetProvider.class, Alpha.class, LowPriority.class, Beta.class);

    assertThatThrownBy(() -> Providers.find(GadgetProvider.class, null, loader))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("several GadgetProviders found [alpha, low, beta] with the same priority 0; choose one by name");
  }

  @Test
  void find_realExtensionPointThroughAServicesFile() {
    ClassLoader loader = serving(RoutingStrategyProvider.class, FixedStrategy.class);

    RoutingStrategyProvider p = Providers.find(RoutingStrategyProvider.class, "fixed", loader);

    assertThat(p.create(new StrategyContext(() -> 0L, new SplittableRandom(1))).choose(List.of())).isZero();
    assertThat(p.priority()).isZero();
  }

  @Test
  void all_nullTypeIsRefused() {
    assertThatThrownBy(() -> Providers.all(null, getClass().getClassLoader()))
        .isInstanceOf(NullPointerException.class).hasMessage("type");
  }
}
