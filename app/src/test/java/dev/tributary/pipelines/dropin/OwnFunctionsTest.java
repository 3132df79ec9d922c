package dev.tributary.pipelines.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OwnFunctionsTest {
  private final OwnFunctions own = new OwnFunctions(URI.create("https://api.example.com"), 8123);

  @Test
  void a_function_url_under_the_public_url_goes_to_the_loopback_port_with_path_and_query() {
    assertThat(own.shortPath("https://api.example.com/functions/v1/sync-profiles"))
        .contains(URI.create("http://127.0.0.1:8123/functions/v1/sync-profiles"));
    assertThat(own.shortPath("HTTPS://API.example.com:443/functions/v1/worker-x-v2?a=1&b=%20"))
        .contains(URI.create("http://127.0.0.1:8123/functions/v1/worker-x-v2?a=1&b=%20"));
  }

  @Test
  void a_public_url_with_a_base_path_is_stripped_of_it() {
    OwnFunctions behindProxy = new OwnFunctions(URI.create("https://example.com/tributary"), 9000);
    assertThat(behindProxy.shortPath("https://example.com/tributary/functions/v1/orchestrator-v2"))
        .contains(URI.create("http://127.0.0.1:9000/functions/v1/orchestrator-v2"));
    assertThat(behindProxy.shortPath("https://example.com/functions/v1/orchestrator-v2")).isEmpty();
  }

  @Test
  void anything_else_goes_out_unchanged() {
    assertThat(own.shortPath("http://api.example.com/functions/v1/sync-profiles")).isEmpty();
    assertThat(own.shortPath("https://api.example.com:8443/functions/v1/sync-profiles")).isEmpty();
    assertThat(own.shortPath("https://other.example.com/functions/v1/sync-profiles")).isEmpty();
    assertThat(own.shortPath("https://api.example.com.evil.test/functions/v1/x")).isEmpty();
    assertThat(own.shortPath("https://user@api.example.com/functions/v1/x")).isEmpty();
    assertThat(own.shortPath("https://api.example.com/rest/v1/rpc/match_topics")).isEmpty();
    assertThat(own.shortPath("https://api.example.com/functions/v1")).isEmpty();
    assertThat(own.shortPath("https://api.example.com/functions/v1/../../api/profiles")).isEmpty();
    assertThat(own.shortPath("https://api.example.com/functions/v1/./x")).isEmpty();
    assertThat(own.shortPath("https://api.example.com/functions/v1/%2e%2e/api")).isEmpty();
    assertThat(own.shortPath("not a url")).isEmpty();
  }
}
