package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tributary.config.TributaryConfig;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.openai.FakeOpenAi;
import dev.tributary.connectors.openai.OpenAiClient;
import dev.tributary.connectors.openai.OpenAiConfig;
import dev.tributary.testing.FakeHttpServer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiProvidersTest {
  private final FakeHttpServer fake = new FakeHttpServer();
  private final OpenAiClient client =
      new OpenAiClient(
          OpenAiConfig.builder()
              .apiKey("sk-test")
              .baseUrl(fake.baseUrl() + "/v1")
              .embeddingDimensions(8)
              .build());
  private static final List<Label> LABELS =
      List.of(
          new Label(UUID.randomUUID(), "question", "Opens with a question.", List.of("Why?")),
          new Label(UUID.randomUUID(), "story", "Starts a narrative.", List.of()));

  @AfterEach
  void close() {
    client.close();
    fake.close();
  }

  @Test
  void the_openai_embedder_skips_blank_texts_keeps_order_and_reports_usage_and_model() {
    fake.otherwise(r -> FakeOpenAi.embeddings(r, 8));
    OpenAiEmbedder embedder = new OpenAiEmbedder(client);

    Embedder.Embedded out = embedder.embedWithUsage(Arrays.asList("alpha", " ", "gamma ray", null));

    assertThat(FakeOpenAi.body(fake.requests().get(0)).path("input")).hasSize(2);
    assertThat(out.vectors()).hasSize(4);
    assertThat(out.vectors().get(0)[0]).isEqualTo(5f);
    assertThat(out.vectors().get(1)).containsOnly(0f).hasSize(8);
    assertThat(out.vectors().get(2)[0]).isEqualTo(9f);
    assertThat(out.vectors().get(3)).containsOnly(0f);
    assertThat(out.usage().totalTokens()).isEqualTo(3);
    assertThat(embedder.modelId()).isEqualTo("openai/text-embedding-3-small@8");
    assertThat(embedder.dimensions()).isEqualTo(8);
  }

  @Test
  void the_openai_classifier_constrains_labels_to_the_catalogue_and_maps_answers_by_index() {
    fake.enqueue(
        FakeOpenAi.chat(
            "{\"results\":[{\"index\":1,\"label\":\"story\",\"confidence\":0.7},"
                + "{\"index\":0,\"label\":\"question\",\"confidence\":1.4}]}"));
    OpenAiLabelClassifier classifier = new OpenAiLabelClassifier(client, "hook type");

    var result =
        classifier.classify(List.of("Why do launches fail?", "Ten years ago I..."), LABELS);

    JsonNode schema =
        FakeOpenAi.body(fake.requests().get(0)).path("response_format").path("json_schema");
    assertThat(schema.path("strict").asBoolean()).isTrue();
    assertThat(
            schema
                .path("schema")
                .path("properties")
                .path("results")
                .path("items")
                .path("properties")
                .path("label")
                .path("enum")
                .toString())
        .isEqualTo("[\"question\",\"story\"]");
    assertThat(result.classifications().get(0).label().name()).isEqualTo("question");
    assertThat(result.classifications().get(0).confidence()).isEqualTo(1.0);
    assertThat(result.classifications().get(1).label().name()).isEqualTo("story");
    assertThat(result.classifications().get(1).classifiedBy()).isEqualTo("openai:gpt-4o-mini");
    assertThat(result.usage().totalTokens()).isEqualTo(24);
  }

  @Test
  void a_partial_batch_answer_keeps_its_valid_items_and_asks_only_the_missing_ones_alone() {
    fake.enqueue(
        // text 0 answered; text 1 twice with different labels; text 2 with a label outside the
        // catalogue; and an index of no text
        FakeOpenAi.chat(
            "{\"results\":[{\"index\":0,\"label\":\"question\",\"confidence\":0.9},"
                + "{\"index\":1,\"label\":\"story\",\"confidence\":0.8},"
                + "{\"index\":1,\"label\":\"question\",\"confidence\":0.8},"
                + "{\"index\":2,\"label\":\"rant\",\"confidence\":0.8},"
                + "{\"index\":7,\"label\":\"story\",\"confidence\":0.8}]}"),
        // text 1 alone: answered
        FakeOpenAi.chat("{\"results\":[{\"index\":0,\"label\":\"story\",\"confidence\":0.6}]}"),
        // text 2 alone, twice: nothing usable
        FakeOpenAi.chat("{\"results\":[]}"),
        FakeOpenAi.chat("{\"results\":[{\"index\":0,\"label\":\"rant\",\"confidence\":1}]}"));

    var result =
        new OpenAiLabelClassifier(client, "hook type")
            .classify(List.of("Why?", "Once upon a time", "Ugh."), LABELS);

    assertThat(fake.requests()).hasSize(4);
    assertThat(userPrompt(1)).contains("Once upon a time").doesNotContain("Why?", "Ugh.");
    assertThat(userPrompt(2)).contains("Ugh.").doesNotContain("Why?", "Once upon");
    assertThat(userPrompt(3)).contains("Ugh.").doesNotContain("Why?", "Once upon");
    assertThat(result.classifications().get(0).label().name()).isEqualTo("question");
    assertThat(result.classifications().get(1).label().name()).isEqualTo("story");
    assertThat(result.classifications().get(2)).isNull();
    assertThat(result.unusable()).containsOnlyKeys(2);
    assertThat(result.unusable().get(2))
        .contains("no usable hook type")
        .contains("outside the catalogue: 'rant'");
    assertThat(result.usage().totalTokens()).isEqualTo(4 * 24);
  }

  @Test
  void a_complete_answer_costs_one_call() {
    fake.enqueue(
        FakeOpenAi.chat(
            "{\"results\":[{\"index\":0,\"label\":\"question\",\"confidence\":0.9},"
                + "{\"index\":1,\"label\":\"story\",\"confidence\":0.8}]}"));
    var result =
        new OpenAiLabelClassifier(client, "hook type").classify(List.of("a?", "b"), LABELS);
    assertThat(fake.requests()).hasSize(1);
    assertThat(result.unusable()).isEmpty();
  }

  @Test
  void the_key_fragment_of_openais_401_is_never_kept_in_the_error() {
    fake.enqueue(
        FakeOpenAi.error(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: sk-test-************cdef. You can find your API key at"
                + " https://platform.openai.com/account/api-keys."));

    ConnectorException e =
        catchThrowableOfType(
            ConnectorException.class,
            () -> new OpenAiLabelClassifier(client, "hook type").classify(List.of("a"), LABELS));

    assertThat(e.status()).isEqualTo(401);
    assertThat(e.getMessage() + e.body() + e).doesNotContain("sk-").doesNotContain("cdef");
    assertThat(e.body()).contains("Incorrect API key provided: [redacted key]");
  }

  private String userPrompt(int request) {
    JsonNode messages = FakeOpenAi.body(fake.requests().get(request)).path("messages");
    return messages.get(messages.size() - 1).path("content").asText();
  }

  @Test
  void the_openai_style_analyser_stores_the_models_prompt_beside_local_metrics() {
    fake.enqueue(
        FakeOpenAi.chat(
            "{\"tone\":\"warm\",\"structure\":\"short lines\",\"hook_style\":\"questions\","
                + "\"vocabulary\":\"plain\",\"formatting\":\"line breaks\",\"call_to_action\":\"asks a question\","
                + "\"writing_style_prompt\":\"Write short lines and end with a question.\"}"));

    StyleAnalysis s =
        new OpenAiStyleAnalyser(client).analyse("Ada", List.of("Why?\n\nBecause.", "Short post."));

    assertThat(s.writingStylePrompt()).isEqualTo("Write short lines and end with a question.");
    assertThat(s.analyzedBy()).isEqualTo("openai:gpt-4o-mini");
    assertThat(s.styleAnalysis().path("tone").asText()).isEqualTo("warm");
    assertThat(s.styleAnalysis().path("metrics").path("posts_analyzed").asInt()).isEqualTo(2);
    assertThat(s.styleAnalysis().path("posts_sampled").asInt()).isEqualTo(2);
    assertThat(s.usage().totalTokens()).isEqualTo(24);
    assertThat(
            FakeOpenAi.body(fake.requests().get(0))
                .path("messages")
                .get(1)
                .path("content")
                .asText())
        .contains("--- post 1 ---")
        .contains("Why?");
  }

  @Test
  void providers_are_openai_when_a_key_is_set_and_local_otherwise() {
    try (AiProviders openai =
        AiProviders.from(
            TributaryConfig.from(
                Map.of("OPENAI_API_KEY", "sk-test", "OPENAI_BASE_URL", fake.baseUrl() + "/v1")))) {
      assertThat(openai.name()).isEqualTo("openai");
      assertThat(openai.embedder().modelId()).isEqualTo("openai/text-embedding-3-small");
      assertThat(openai.hookClassifier().providerId()).isEqualTo("openai:gpt-4o-mini");
      assertThat(openai.styleAnalyser().providerId()).isEqualTo("openai:gpt-4o-mini");
    }
    Embedder tiny =
        new Embedder() {
          @Override
          public List<float[]> embed(List<String> texts) {
            return texts.stream().map(t -> new float[] {1f}).toList();
          }

          @Override
          public String modelId() {
            return "local/all-minilm-l6-v2-q";
          }

          @Override
          public int dimensions() {
            return 1;
          }
        };
    try (AiProviders local = AiProviders.local(tiny)) {
      assertThat(local.name()).isEqualTo("local");
      assertThat(local.topicClassifier().providerId()).isEqualTo("local:all-minilm-l6-v2-q");
      assertThat(local.styleAnalyser().providerId()).isEqualTo("local:text-statistics");
    }
    assertThat(fake.requests()).isEmpty();
  }
}
