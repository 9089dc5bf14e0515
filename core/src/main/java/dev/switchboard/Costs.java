package dev.switchboard;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * Dollars spent, summed per tenant, key and model. Lock-free. The tenant map holds at most {@link
 * #MAX_TENANTS} tenants (calls whose tenant is a user id could otherwise grow it without bound);
 * later tenants are summed under {@link #OTHER_TENANTS}.
 */
final class Costs {
  static final int MAX_TENANTS = 10_000;
  static final String OTHER_TENANTS = "(other tenants)";

  private final DoubleAdder total = new DoubleAdder();
  private final ConcurrentHashMap<String, DoubleAdder> byTenant = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DoubleAdder> byKey = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, DoubleAdder> byModel = new ConcurrentHashMap<>();

  void add(String tenant, String keyAlias, String model, double dollars) {
    if (!(dollars > 0)) {
      return;
    }
    total.add(dollars);
    DoubleAdder t = byTenant.get(tenant);
    if (t == null) {
      t = byTenant.size() < MAX_TENANTS ? byTenant.computeIfAbsent(tenant, x -> new DoubleAdder())
          : byTenant.computeIfAbsent(OTHER_TENANTS, x -> new DoubleAdder());
    }
    t.add(dollars);
    byKey.computeIfAbsent(keyAlias, x -> new DoubleAdder()).add(dollars);
    byModel.computeIfAbsent(model, x -> new DoubleAdder()).add(dollars);
  }

  RouterSnapshot.Costs snapshot() {
    return new RouterSnapshot.Costs(total.sum(), sums(byTenant), sums(byKey), sums(byModel));
  }

  private static Map<String, Double> sums(Map<String, DoubleAdder> m) {
    Map<String, Double> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
