package dev.switchboard.examples.demo;

import dev.switchboard.CallOptions;
import dev.switchboard.NoRouteException;
import dev.switchboard.Switchboard;
import dev.switchboard.admission.Priority;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Sends the workload's calls through one router, or spreads them over several routers that share
 * state (the cluster mode), each call with its tenant as the user, its deadline and its attempt
 * timeout. Thread-safe.
 */
final class RouterClient implements Driver.Client {
  private final List<Switchboard> routers;

  RouterClient(List<Switchboard> routers) {
    if (routers.isEmpty()) {
      throw new IllegalArgumentException("routers must not be empty");
    }
    this.routers = List.copyOf(routers);
  }

  /**
   * Returns the options of one call of the workload: the tenant (its user breaker, cache scope and
   * fair share), the admission priority of its service class, its deadline and attempt timeout,
   * and the cache opt-in of the FAQ bots.
   */
  static CallOptions options(Workload.CallSpec spec) {
    return CallOptions.forUser(spec.tenant())
        .tenant(spec.tenant())
        .priority(priority(spec.serviceClass()))
        .cacheable(spec.cacheable())
        .deadline(spec.deadline())
        .attemptTimeout(spec.attemptTimeout());
  }

  private static Priority priority(Workload.ServiceClass serviceClass) {
    return switch (serviceClass) {
      case INTERACTIVE -> Priority.INTERACTIVE;
      case STANDARD -> Priority.STANDARD;
      case BATCH -> Priority.BATCH;
    };
  }

  @Override
  public CompletableFuture<Driver.Ending> call(Workload.CallSpec spec) {
    Switchboard router = routers.get(spec.index() % routers.size());
    return router.sendAsync(spec.request(), options(spec))
        .handle((response, ex) -> {
          if (ex == null) {
            return Driver.Ending.ok(response.cached(), response.cost());
          }
          Throwable cause = ex;
          while ((cause instanceof CompletionException || cause instanceof ExecutionException)
              && cause.getCause() != null) {
            cause = cause.getCause();
          }
          String name = cause.getClass().getSimpleName().replace("Exception", "");
          return new Driver.Ending(name, false, cause instanceof NoRouteException, 0.0);
        });
  }
}
