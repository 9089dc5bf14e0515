package dev.switchboard.spi;

/**
 * Test-only providers. They are registered only through services files written into a temporary
 * directory that a {@link java.net.URLClassLoader} serves (see {@link ProvidersTest}), never on the
 * test class path. {@link java.util.ServiceLoader} needs them public with a public no-arg
 * constructor.
 */
final class ProviderFixtures {
  private ProviderFixtures() {}

  /** A service type that no module of the project provides. */
  public interface GadgetProvider extends NamedProvider {}

  public static final class Alpha implements GadgetProvider {
    @Override
    public String name() {
      return "alpha";
    }
  }

  public static final class Beta implements GadgetProvider {
    @Override
    public String name() {
      return "beta";
    }
  }

  /** Named like {@link Alpha}: a duplicate. */
  public static final class AlphaTwin implements GadgetProvider {
    @Override
    public String name() {
      return "alpha";
    }
  }

  public static final class HighPriority implements GadgetProvider {
    @Override
    public String name() {
      return "high";
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  public static final class LowPriority implements GadgetProvider {
    @Override
    public String name() {
      return "low";
    }

    @Override
    public int priority() {
      return -5;
    }
  }

  public static final class Blank implements GadgetProvider {
    @Override
    public String name() {
      return " ";
    }
  }

  public static final class ThrowingConstructor implements GadgetProvider {
    public ThrowingConstructor() {
      throw new IllegalStateException("missing REDIS_URL");
    }

    @Override
    public String name() {
      return "throwing";
    }
  }

  /** A real extension point, for the exact message about a known SPI type. */
  public static final class FixedStrategy implements RoutingStrategyProvider {
    @Override
    public String name() {
      return "fixed";
    }

    @Override
    public RoutingStrategy create(StrategyContext context) {
      return candidates -> 0;
    }
  }
}
