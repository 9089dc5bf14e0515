package dev.switchboard.redis;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one shared {@link RedisServer}, started on first use and stopped when the whole
 * test run ends (it lives in the root context's store, which closes it).
 */
final class RedisExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE)
        .computeIfAbsent("server", k -> {
          RedisServer server = RedisServer.startAny();
          System.out.println("tests use " + server);
          return server;
        }, RedisServer.class);
  }
}
