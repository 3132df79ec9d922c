package dev.tributary.connectors.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.testing.FakeHttpServer;
import dev.tributary.testing.FakeHttpServer.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {
  private static final String KEY = "sk-test-abcdef0123456789";
  private final FakeHttpServer fake = new FakeHttpServer();
  private final List<OpenAiClient> clients = new ArrayList<>();

  @AfterEach
  void close() {
    clients.forEach(OpenAiClient::close);
    fake.close();
  }

  private OpenAiClient client(OpenAiConfig.Builder b) {
    OpenAiClient c = new OpenAiClient(b.apiKey(KEY).baseUrl(fake.baseUrl() + "/v1").build());
    clients.add(c);
    return c;
  }

  private OpenAiClient client() {
    return client(OpenAiConfig.builder());
  }

  private static OpenAiClient.JsonSchema schema() {
    ObjectNode s = FakeOpenAi.JSON.createObjectNode();
    s.put("type", "object");
    s.putObject("properties").putObject("topic").put("type", "string");
    s.putArray("required").add("topic");
    s.put("additionalProperties", false);
    return new OpenAiClient.JsonSchema("post_analysis", s);
  }

  @Test
  void embeddings_are_batched_and_put_back_in_input_order_by_index() {
    fake.otherwise(r -> FakeOpenAi.embeddings(r, 1536));
    OpenAiClient client = client(OpenAiConfig.builder().embeddingBatchSize(3));
    List<String> inputs = List.of("a", "bb", "ccc", "dddd", "eeeee", "ffffff", "ggggggg");

    OpenAiClient.EmbeddingResult result = client.embed(inputs);

    assertThat(fake.requests()).hasSize(3);
    var first = fake.requests().get(0);
    assertThat(first.path()).isEqualTo("/v1/embeddings");
    assertThat(first.header("authorization")).isEqualTo("Bearer " + KEY);
    JsonNode body = FakeOpenAi.body(first);
    assertThat(body.path("model").asText()).isEqualTo("text-embedding-3-small");
    assertThat(body.path("input")).hasSize(3);
    assertThat(body.path("encoding_format").asText()).isEqualTo("float");
    assertThat(body.has("dimensions")).isFalse();
    assertThat(result.vectors()).hasSize(7);
    for (int i = 0; i < inputs.size(); i++) {
      assertThat(result.vectors().get(i)[0]).isEqualTo(inputs.get(i).length());
      assertThat(result.vectors().get(i)).hasSize(1536);
    }
    assertThat(result.usage()).isEqualTo(new OpenAiUsage(7, 0, 7));
    assertThat(result.model()).isEqualTo("text-embedding-3-small");
  }

  @Test
  void shortened_vectors_send_the_dimensions_parameter() {
    fake.otherwise(r -> FakeOpenAi.embeddings(r, 256));
    OpenAiClient client = client(OpenAiConfig.builder().embeddingDimensions(256));

    assertThat(client.embed(List.of("x")).vectors().get(0)).hasSize(256);
    assertThat(FakeOpenAi.body(fake.requests().get(0)).path("dimensions").asInt()).isEqualTo(256);
  }

  @Test
  void empty_inputs_are_refused_before_any_request() {
    assertThatThrownBy(() -> client().embed(List.of("ok", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input 1 is empty");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void rate_limit_429_is_retryable_with_the_wait_from_retry_after_ms_first() {
    fake.enqueue(
        FakeOpenAi.error(
                429,
                "tokens",
                "rate_limit_exceeded",
                "Rate limit reached for text-embedding-3-small in organization org-xxx on tokens per min (TPM)")
            .withHeader("retry-after-ms", "522")
            .withHeader("retry-after", "1"),
        FakeOpenAi.error(429, "requests", "rate_limit_exceeded", "Rate limit reached")
            .withHeader("retry-after", "3"));

    ConnectorException ms =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(ms.status()).isEqualTo(429);
    assertThat(ms.retryable()).isTrue();
    assertThat(ms.retryAfter()).contains(Duration.ofMillis(522));
    assertThat(ms.getMessage())
        .contains("rate_limit_exceeded")
        .contains("Rate limit reached")
        .doesNotContain(KEY);

    ConnectorException s =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(s.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void exhausted_quota_is_a_429_that_is_not_retried() {
    fake.enqueue(
        FakeOpenAi.error(
            429,
            "insufficient_quota",
            "insufficient_quota",
            "You exceeded your current quota, please check your plan and billing details."));

    ConnectorException e =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));

    assertThat(e.status()).isEqualTo(429);
    assertThat(e.retryable()).isFalse();
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void an_invalid_key_is_final_and_server_errors_are_retryable_unless_told_otherwise() {
    fake.enqueue(
        FakeOpenAi.error(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: sk-te***789."),
        Reply.json(
            500,
            "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"param\":null,\"code\":null}}"),
        Reply.json(503, "upstream connect error").withHeader("x-should-retry", "false"));

    ConnectorException auth =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(auth.status()).isEqualTo(401);
    assertThat(auth.retryable()).isFalse();
    assertThat(auth.getMessage()).contains("invalid_api_key");

    ConnectorException server =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(server.status()).isEqualTo(500);
    assertThat(server.retryable()).isTrue();

    ConnectorException told =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(told.status()).isEqualTo(503);
    assertThat(told.retryable()).isFalse();
  }

  @Test
  void no_answer_in_time_is_retryable() {
    fake.enqueue(Reply.hang());

    ConnectorException e =
        catchThrowableOfType(
            ConnectorException.class,
            () ->
                client(OpenAiConfig.builder().requestTimeout(Duration.ofMillis(300)))
                    .embed(List.of("x")));

    assertThat(e.status()).isZero();
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void malformed_answers_are_final_errors() {
    fake.enqueue(
        Reply.json(200, "{\"object\":\"list\",\"data\":["),
        Reply.json(
            200,
            "{\"object\":\"list\",\"data\":[{\"index\":0,\"embedding\":[0.1]},{\"index\":0,\"embedding\":[0.2]}]}"));

    ConnectorException notJson =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x")));
    assertThat(notJson.retryable()).isFalse();
    assertThat(notJson.getMessage()).contains("not valid JSON");

    ConnectorException badIndex =
        catchThrowableOfType(ConnectorException.class, () -> client().embed(List.of("x", "y")));
    assertThat(badIndex.retryable()).isFalse();
    assertThat(badIndex.getMessage()).contains("index");
  }

  @Test
  void chat_sends_a_strict_json_schema_and_returns_the_parsed_answer_with_usage() {
    fake.enqueue(FakeOpenAi.chat("{\"topic\":\"GTM operations\"}"));

    OpenAiClient.ChatResult result = client().chatJson("You classify.", "Post text", schema());

    JsonNode body = FakeOpenAi.body(fake.requests().get(0));
    assertThat(fake.requests().get(0).path()).isEqualTo("/v1/chat/completions");
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("Post text");
    JsonNode format = body.path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("name").asText()).isEqualTo("post_analysis");
    assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
    assertThat(
            format.path("json_schema").path("schema").path("additionalProperties").asBoolean(true))
        .isFalse();
    assertThat(result.json().path("topic").asText()).isEqualTo("GTM operations");
    assertThat(result.usage()).isEqualTo(new OpenAiUsage(15, 9, 24));
    assertThat(result.model()).isEqualTo("gpt-4o-mini-2024-07-18");
  }

  @Test
  void a_refusal_a_truncated_answer_and_non_json_content_are_final_errors() {
    fake.enqueue(
        FakeOpenAi.chat(null, "I'm sorry, I can't help with that.", "stop"),
        FakeOpenAi.chat("{\"topic\":\"GTM", null, "length"),
        FakeOpenAi.chat("GTM operations"));

    ConnectorException refused =
        catchThrowableOfType(ConnectorException.class, () -> client().chatJson("s", "u", schema()));
    assertThat(refused.retryable()).isFalse();
    assertThat(refused.getMessage()).contains("refused").contains("I'm sorry");

    ConnectorException cut =
        catchThrowableOfType(ConnectorException.class, () -> client().chatJson("s", "u", schema()));
    assertThat(cut.getMessage()).contains("finish_reason length");

    ConnectorException prose =
        catchThrowableOfType(ConnectorException.class, () -> client().chatJson("s", "u", schema()));
    assertThat(prose.getMessage()).contains("not JSON");
  }

  @Test
  void the_config_builder_validates_and_hides_the_key() {
    assertThatThrownBy(() -> OpenAiConfig.builder().build()).hasMessageContaining("OPENAI_API_KEY");
    assertThatThrownBy(() -> OpenAiConfig.builder().apiKey("k").embeddingBatchSize(5000).build())
        .hasMessageContaining("batch size");
    assertThatThrownBy(() -> OpenAiConfig.builder().apiKey("k").baseUrl("not a url").build())
        .hasMessageContaining("OPENAI_BASE_URL");
    assertThatThrownBy(
            () -> new OpenAiClient.JsonSchema("bad name!", FakeOpenAi.JSON.createObjectNode()))
        .hasMessageContaining("json_schema name");
    assertThat(OpenAiConfig.builder().apiKey(KEY).build().toString()).doesNotContain(KEY);
    assertThat(OpenAiConfig.builder().apiKey(KEY).build().baseUrl().toString())
        .isEqualTo("https://api.openai.com/v1");
  }
}
