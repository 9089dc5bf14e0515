package dev.switchboard.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * An Anthropic API key under a human-chosen alias.
 *
 * <p>The secret never leaves this object except through {@link #reveal()}, which only a transport
 * calls to set the {@code x-api-key} header. {@link #toString()}, {@link #fingerprint()} and every
 * message Switchboard builds use the alias and a short SHA-256 fingerprint instead, so a key can be
 * named in logs, metrics and exceptions without leaking it. Instances are immutable and thread-safe.
 */
public final class ApiKey {
  private final String alias;
  private final String secret;
  private final String fingerprint;

  private ApiKey(String alias, String secret) {
    this.alias = alias;
    this.secret = secret;
    this.fingerprint = fingerprintOf(secret);
  }

  /**
   * Returns a key named {@code alias}.
   *
   * @throws IllegalArgumentException if the alias or the secret is blank; the message never shows
   *     the secret
   * @throws NullPointerException if either argument is null
   */
  public static ApiKey of(String alias, String secret) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(secret, "secret of key '" + alias + "'");
    if (alias.isBlank()) {
      throw new IllegalArgumentException("key alias must not be blank");
    }
    if (secret.isBlank()) {
      throw new IllegalArgumentException("secret of key '" + alias + "' must not be blank");
    }
    if (!secret.strip().equals(secret)) {
      throw new IllegalArgumentException(
          "secret of key '" + alias + "' has leading or trailing white space");
    }
    return new ApiKey(alias, secret);
  }

  /** Returns the alias this key was registered under: safe to log. */
  public String alias() {
    return alias;
  }

  /**
   * Returns a short, stable, one-way fingerprint of the secret ({@code "fp:"} and 8 hex digits of
   * its SHA-256), safe to log and to use as a shared-state key.
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Returns the secret itself. Only transports call this, to authenticate a request; never log,
   * store or put the result in an exception.
   */
  public String reveal() {
    return secret;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiKey other && alias.equals(other.alias) && secret.equals(other.secret);
  }

  @Override
  public int hashCode() {
    return alias.hashCode() * 31 + fingerprint.hashCode();
  }

  /** Returns {@code ApiKey[alias, fp:xxxxxxxx]}; never the secret. */
  @Override
  public String toString() {
    return "ApiKey[" + alias + ", " + fingerprint + "]";
  }

  static String fingerprintOf(String secret) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder("fp:");
      for (int i = 0; i < 4; i++) {
        sb.append(Character.forDigit((digest[i] >> 4) & 0xf, 16));
        sb.append(Character.forDigit(digest[i] & 0xf, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JDK", e);
    }
  }
}
