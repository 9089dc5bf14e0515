package dev.switchboard.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script as a value: its source (read once from {@code src/main/resources/dev/switchboard/redis})
 * and the SHA1 of that source, computed once. {@link #run} sends {@code EVALSHA}; when the server
 * answers {@code NOSCRIPT} (it forgot its scripts after a restart, failover or {@code SCRIPT FLUSH})
 * it sends {@code EVAL} once, which also loads the script for the next calls. Immutable and
 * thread-safe.
 */
final class LuaScript {
  private final String name;
  private final String source;
  private final String sha1;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
  }

  /**
   * Returns the script made of {@code clock.lua} (which defines {@code NOW_US} and {@code NOW_MS}
   * from the last argument) and the given resources (beside this class), concatenated in order.
   */
  static LuaScript load(String... resources) {
    StringBuilder sb = new StringBuilder();
    String[] all = new String[resources.length + 1];
    all[0] = "clock.lua";
    System.arraycopy(resources, 0, all, 1, resources.length);
    for (String resource : all) {
      try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("Lua script resource dev/switchboard/redis/" + resource
              + " is missing from the class path");
        }
        sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read Lua script " + resource, e);
      }
    }
    return new LuaScript(resources[resources.length - 1], sb.toString());
  }

  /** Returns the name of the script's main resource, e.g. {@code budget-acquire.lua}. */
  String name() {
    return name;
  }

  /** Returns the full source sent by {@code EVAL}. */
  String source() {
    return source;
  }

  /** Returns the lower-case hex SHA1 of the source, as {@code EVALSHA} wants it. */
  String sha1() {
    return sha1;
  }

  /**
   * Runs the script in one round trip ({@code EVALSHA}), or two when the server had forgotten it
   * ({@code NOSCRIPT}, then {@code EVAL}), with {@code clock}'s argument appended to {@code args}.
   */
  Object run(UnifiedJedis jedis, ScriptClock clock, List<String> keys, List<String> args) {
    List<String> all = new ArrayList<>(args.size() + 1);
    all.addAll(args);
    all.add(clock.argument());
    try {
      return jedis.evalsha(sha1, keys, all);
    } catch (JedisNoScriptException e) {
      return jedis.eval(source, keys, all);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LuaScript other && sha1.equals(other.sha1);
  }

  @Override
  public int hashCode() {
    return sha1.hashCode();
  }

  @Override
  public String toString() {
    return "LuaScript[" + name + ", sha1=" + sha1 + "]";
  }

  static String sha1Hex(String text) {
    Objects.requireNonNull(text, "text");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(40);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JDK", e);
    }
  }
}
