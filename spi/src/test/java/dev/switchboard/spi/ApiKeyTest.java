package dev.switchboard.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.junit.jupiter.api.Test;

class ApiKeyTest {
  /** A secret that must never appear in anything but {@link ApiKey#reveal()}. */
  private static final String CANARY = "sk-ant-api03-CANARY-7f3a9c-do-not-leak";

  @Test
  void toString_showsAliasAndFingerprintButNeverTheSecret() {
    ApiKey key = ApiKey.of("team-a", CANARY);

    assertThat(key.toString()).isEqualTo("ApiKey[team-a, " + key.fingerprint() + "]");
    assertThat(key.toString()).doesNotContain(CANARY).doesNotContain("CANARY");
  }

  @Test
  void fingerprint_isFpAndEightHexDigitsWithoutTheSecret() {
    ApiKey key = ApiKey.of("team-a", CANARY);

    assertThat(key.fingerprint()).matches("fp:[0-9a-f]{8}");
    assertThat(key.fingerprint()).doesNotContain(CANARY.substring(0, 8));
  }

  @Test
  void fingerprint_isTheFirstFourBytesOfSha256() {
    // SHA-256("abc") = ba7816bf 8f01cfea ...
    assertThat(ApiKey.of("k", "abc").fingerprint()).isEqualTo("fp:ba7816bf");
  }

  @Test
  void fingerprint_isStableAcrossInstancesAndAliases() {
    ApiKey a = ApiKey.of("one", CANARY);
    ApiKey b = ApiKey.of("two", CANARY);

    assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).isEqualTo(ApiKey.of("one", CANARY).fingerprint());
  }

  @Test
  void fingerprint_differsForDifferentSecrets() {
    assertThat(ApiKey.of("k", CANARY).fingerprint()).isNotEqualTo(ApiKey.of("k", CANARY + "x").fingerprint());
  }

  @Test
  void reveal_returnsTheSecretAndAliasReturnsTheAlias() {
    ApiKey key = ApiKey.of("team-a", CANARY);

    assertThat(key.reveal()).isEqualTo(CANARY);
    assertThat(key.alias()).isEqualTo("team-a");
  }

  @Test
  void of_blankAliasIsRefused() {
    assertThatThrownBy(() -> ApiKey.of("  ", CANARY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key alias must not be blank");
  }

  @Test
  void of_blankSecretIsRefusedNamingTheAlias() {
    assertThatThrownBy(() -> ApiKey.of("team-a", " \t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret of key 'team-a' must not be blank");
  }

  @Test
  void of_secretWithSurroundingWhiteSpaceIsRefusedWithoutShowingIt() {
    Throwable thrown = catchThrowable(() -> ApiKey.of("team-a", " " + CANARY + "\n"));

    assertThat(thrown).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret of key 'team-a' has leading or trailing white space");
    assertThat(thrown.toString()).doesNotContain(CANARY);
  }

  @Test
  void of_blankAliasMessageNeverShowsTheSecret() {
    Throwable thrown = catchThrowable(() -> ApiKey.of("", CANARY));

    assertThat(thrown.getMessage()).doesNotContain(CANARY);
    assertThat(thrown.toString()).doesNotContain(CANARY);
  }

  @Test
  void of_nullsAreRefusedNamingTheArgument() {
    assertThatThrownBy(() -> ApiKey.of(null, CANARY))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("alias");
    assertThatThrownBy(() -> ApiKey.of("team-a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("secret of key 'team-a'");
  }

  @Test
  void equals_sameAliasAndSecret() {
    ApiKey a = ApiKey.of("team-a", CANARY);
    ApiKey b = ApiKey.of("team-a", CANARY);

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
  }

  @Test
  void equals_differentAliasOrSecretIsNotEqual() {
    ApiKey a = ApiKey.of("team-a", CANARY);

    assertThat(a).isNotEqualTo(ApiKey.of("team-b", CANARY));
    assertThat(a).isNotEqualTo(ApiKey.of("team-a", CANARY + "2"));
    assertThat(a).isNotEqualTo(CANARY);
    assertThat(a).isNotEqualTo(null);
  }
}
