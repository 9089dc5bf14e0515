package dev.switchboard.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds providers with {@link ServiceLoader}, failing loudly: no provider, an unknown name, two
 * providers with one name, or a provider that throws while loading is each an
 * {@link IllegalStateException} that names what was found and what to add.
 */
public final class Providers {
  private Providers() {}

  /**
   * Returns every provider of {@code type} found through {@code loader}, by name, in discovery
   * order.
   *
   * @throws IllegalStateException when two providers share a name or one fails to load
   */
  public static <P extends NamedProvider> Map<String, P> all(Class<P> type, ClassLoader loader) {
    Objects.requireNonNull(type, "type");
    Map<String, P> byName = new LinkedHashMap<>();
    ServiceLoader<P> services = ServiceLoader.load(type, loader);
    var it = services.iterator();
    while (true) {
      P provider;
      try {
        if (!it.hasNext()) {
          break;
        }
        provider = it.next();
      } catch (ServiceConfigurationError e) {
        throw new IllegalStateException("a " + type.getSimpleName()
            + " listed in META-INF/services/" + type.getName() + " failed to load: " + e.getMessage(), e);
      }
      String name;
      try {
        name = provider.name();
      } catch (RuntimeException e) {
        throw new IllegalStateException(type.getSimpleName() + " " + provider.getClass().getName()
            + " (listed in META-INF/services/" + type.getName() + ") failed in name(): " + e, e);
      }
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(type.getSimpleName() + " " + provider.getClass().getName()
            + " has a blank name()");
      }
      P previous = byName.putIfAbsent(name, provider);
      if (previous != null) {
        throw new IllegalStateException("two " + type.getSimpleName() + "s are named '" + name + "': "
            + previous.getClass().getName() + " and " + provider.getClass().getName()
            + "; remove one from the class path or rename it");
      }
    }
    return byName;
  }

  /**
   * Returns the provider of {@code type} named {@code name}; when {@code name} is null, the one
   * with the highest priority (ties are an error).
   *
   * @throws IllegalStateException when none matches, naming the providers found
   */
  public static <P extends NamedProvider> P find(Class<P> type, String name, ClassLoader loader) {
    Map<String, P> all = all(type, loader);
    String file = "META-INF/services/" + type.getName();
    if (all.isEmpty()) {
      throw new IllegalStateException("no " + type.getSimpleName() + " found on the class path"
          + (name == null ? "" : " (looking for '" + name + "')") + "; add a module that provides one"
          + " (listed in " + file + ")");
    }
    if (name != null) {
      P p = all.get(name);
      if (p == null) {
        throw new IllegalStateException("no " + type.getSimpleName() + " named '" + name
            + "'; found " + all.keySet() + " (listed in " + file + ")");
      }
      return p;
    }
    List<P> sorted = new ArrayList<>(all.values());
    sorted.sort(Comparator.comparingInt(NamedProvider::priority).reversed());
    if (sorted.size() > 1 && sorted.get(0).priority() == sorted.get(1).priority()) {
      throw new IllegalStateException("several " + type.getSimpleName() + "s found " + all.keySet()
          + " with the same priority " + sorted.get(0).priority() + "; choose one by name");
    }
    return sorted.get(0);
  }
}
