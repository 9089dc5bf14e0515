package dev.switchboard.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.Providers;
import dev.switchboard.spi.Transport;
import dev.switchboard.spi.TransportConfig;
import dev.switchboard.spi.TransportProvider;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {
  private final ClassLoader loader = ProviderDiscoveryTest.class.getClassLoader();

  @Test
  void serviceLoader_findsExactlyTheOkHttpProvider() {
    assertThat(Providers.all(TransportProvider.class, loader).keySet()).containsExactly("okhttp");
  }

  @Test
  void find_byNameReturnsTheOkHttpProvider() {
    TransportProvider provider = Providers.find(TransportProvider.class, "okhttp", loader);

    assertThat(provider).isInstanceOf(OkHttpTransportProvider.class);
    assertThat(provider.name()).isEqualTo(OkHttpTransportProvider.NAME);
    assertThat(Providers.find(TransportProvider.class, null, loader))
        .isInstanceOf(OkHttpTransportProvider.class);
  }

  @Test
  void create_returnsAClosableTransportThatNamesItsConfig() {
    TransportConfig config = TransportConfig.builder().baseUrl("http://127.0.0.1:1").build();
    Transport transport = Providers.find(TransportProvider.class, "okhttp", loader).create(config);

    assertThat(transport.toString()).isEqualTo("OkHttpTransport[" + config + "]");
    transport.close();
    transport.close();
  }
}
