package dev.switchboard;

import dev.switchboard.spi.ApiKey;
import java.util.Set;

/** One configured key: its organization (limit pool), weight and optional model allow-list. */
record KeySpec(ApiKey key, String organization, int weight, Set<String> models) {
  KeySpec {
    models = Set.copyOf(models);
  }

  String alias() {
    return key.alias();
  }

  boolean allows(String model) {
    return models.isEmpty() || models.contains(model);
  }
}
