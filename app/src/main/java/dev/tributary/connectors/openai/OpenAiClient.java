package dev.tributary.connectors.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.connectors.ConnectorException;
import dev.tributary.connectors.VendorHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * OpenAI {@code POST /embeddings} and {@code POST /chat/completions} with strict json_schema
 * answers (spec/external-apis.md §3). Safe to share between threads.
 *
 * <p>Errors follow the official SDKs: 408, 409, 429 and 5xx are retryable unless the answer says
 * {@code x-should-retry: false}; {@code insufficient_quota} (also a 429) is final; the wait comes
 * from {@code retry-after-ms}, then {@code retry-after}. A refusal, a truncated or filtered answer,
 * or content that is not the JSON asked for is a final error.
 */
public final class OpenAiClient implements AutoCloseable {
  public static final String VENDOR = "OpenAI";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The API counts at most 300,000 tokens per embeddings request; we stay well under by estimate.
   */
  static final long MAX_ESTIMATED_TOKENS_PER_REQUEST = 200_000;

  private final OpenAiConfig config;
  private final HttpClient http;

  /**
   * An answer format: {@code name} matches [a-zA-Z0-9_-]{1,64}; every property must be required
   * (strict).
   */
  public record JsonSchema(String name, ObjectNode schema) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    public JsonSchema {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "json_schema name must match [a-zA-Z0-9_-]{1,64}, got '" + name + "'");
      }
      Objects.requireNonNull(schema, "schema");
    }
  }

  /** Vectors in the order of the inputs, the model that made them and the tokens billed. */
  public record EmbeddingResult(List<float[]> vectors, String model, OpenAiUsage usage) {}

  /** The parsed JSON answer, the model that wrote it and the tokens billed. */
  public record ChatResult(JsonNode json, String model, OpenAiUsage usage) {}

  public OpenAiClient(OpenAiConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
  }

  public OpenAiConfig config() {
    return config;
  }

  /**
   * Embeds non-empty texts with the configured model, {@link OpenAiConfig#embeddingBatchSize()} per
   * request (fewer when the texts are long). The caller truncates texts to the model's input limit.
   */
  public EmbeddingResult embed(List<String> inputs) {
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) == null || inputs.get(i).isEmpty()) {
        throw new IllegalArgumentException(
            "input " + i + " is empty; OpenAI rejects empty embedding inputs");
      }
    }
    List<float[]> vectors = new ArrayList<>(inputs.size());
    OpenAiUsage usage = OpenAiUsage.NONE;
    String model = config.embeddingModel();
    int from = 0;
    while (from < inputs.size()) {
      int to = from;
      long estimated = 0;
      while (to < inputs.size() && to - from < config.embeddingBatchSize()) {
        long cost = estimateTokens(inputs.get(to));
        if (to > from && estimated + cost > MAX_ESTIMATED_TOKENS_PER_REQUEST) {
          break;
        }
        estimated += cost;
        to++;
      }
      EmbeddingResult part = embedOneRequest(inputs.subList(from, to));
      vectors.addAll(part.vectors());
      usage = usage.plus(part.usage());
      model = part.model();
      from = to;
    }
    return new EmbeddingResult(vectors, model, usage);
  }

  private EmbeddingResult embedOneRequest(List<String> batch) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.embeddingModel());
    ArrayNode input = body.putArray("input");
    batch.forEach(input::add);
    body.put("encoding_format", "float");
    if (config.embeddingDimensions() != OpenAiConfig.DEFAULT_EMBEDDING_DIMENSIONS) {
      body.put("dimensions", config.embeddingDimensions());
    }
    String raw = post("/embeddings", body);
    JsonNode root = parse(raw);
    JsonNode data = root.get("data");
    if (data == null || !data.isArray() || data.size() != batch.size()) {
      throw malformed(
          raw,
          "expected "
              + batch.size()
              + " embeddings in 'data', got "
              + (data == null || !data.isArray() ? "none" : data.size()));
    }
    float[][] ordered = new float[batch.size()][];
    int dims = -1;
    for (JsonNode item : data) {
      int index = item.path("index").asInt(-1);
      JsonNode emb = item.get("embedding");
      if (index < 0
          || index >= batch.size()
          || ordered[index] != null
          || emb == null
          || !emb.isArray()
          || emb.isEmpty()) {
        throw malformed(
            raw, "an embedding has a missing, repeated or out-of-range index, or no vector");
      }
      if (dims >= 0 && emb.size() != dims) {
        throw malformed(raw, "embeddings of different lengths in one answer");
      }
      dims = emb.size();
      float[] v = new float[dims];
      for (int i = 0; i < dims; i++) {
        v[i] = (float) emb.get(i).asDouble();
      }
      ordered[index] = v;
    }
    return new EmbeddingResult(
        List.of(ordered), root.path("model").asText(config.embeddingModel()), usage(root));
  }

  /** One chat completion whose answer must be JSON matching {@code schema}. */
  public ChatResult chatJson(String systemPrompt, String userPrompt, JsonSchema schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.chatModel());
    ArrayNode messages = body.putArray("messages");
    messages.addObject().put("role", "system").put("content", systemPrompt);
    messages.addObject().put("role", "user").put("content", userPrompt);
    ObjectNode format = body.putObject("response_format");
    format.put("type", "json_schema");
    ObjectNode js = format.putObject("json_schema");
    js.put("name", schema.name());
    js.put("strict", true);
    js.set("schema", schema.schema());
    String raw = post("/chat/completions", body);
    JsonNode root = parse(raw);
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    if (message.isMissingNode()) {
      throw malformed(raw, "no choices[0].message in the answer");
    }
    String refusal = message.path("refusal").isTextual() ? message.path("refusal").asText() : null;
    if (refusal != null) {
      throw new ConnectorException(VENDOR, 200, false, null, raw, "the model refused: " + refusal);
    }
    String finish = choice.path("finish_reason").asText("");
    if ("length".equals(finish) || "content_filter".equals(finish)) {
      throw new ConnectorException(
          VENDOR,
          200,
          false,
          null,
          raw,
          "the answer was cut short (finish_reason " + finish + ") and is not usable JSON");
    }
    JsonNode content = message.get("content");
    if (content == null || !content.isTextual()) {
      throw malformed(raw, "choices[0].message.content is missing");
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(content.asText());
    } catch (JsonProcessingException e) {
      throw malformed(raw, "the model's content is not JSON (" + e.getOriginalMessage() + ")");
    }
    if (answer == null || !answer.isObject()) {
      throw malformed(raw, "the model's content is not a JSON object");
    }
    return new ChatResult(answer, root.path("model").asText(config.chatModel()), usage(root));
  }

  private String post(String path, ObjectNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(config.baseUrl() + path))
            .timeout(config.requestTimeout())
            .header("Authorization", "Bearer " + config.apiKey())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response = VendorHttp.exchange(http, request, VENDOR);
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    throw error(status, response.headers(), response.body());
  }

  private ConnectorException error(int status, HttpHeaders headers, String body) {
    ConnectorException base = VendorHttp.forStatus(VENDOR, status, headers, body, config.clock());
    boolean retryable = base.retryable() || status == 409;
    JsonNode err = JSON.createObjectNode();
    try {
      JsonNode root = JSON.readTree(body == null ? "" : body);
      if (root != null && root.path("error").isObject()) {
        err = root.path("error");
      }
    } catch (JsonProcessingException notJson) {
      // a proxy's HTML page: the status says enough
    }
    String code = err.path("code").asText(err.path("type").asText(""));
    if ("insufficient_quota".equals(code)
        || "insufficient_quota".equals(err.path("type").asText())) {
      retryable = false;
    }
    String should = headers.firstValue("x-should-retry").orElse("");
    if ("true".equalsIgnoreCase(should)) {
      retryable = true;
    } else if ("false".equalsIgnoreCase(should)) {
      retryable = false;
    }
    String detail = err.path("message").asText("");
    String message =
        detail.isEmpty()
            ? base.getMessage().substring(VENDOR.length() + 2)
            : "HTTP " + status + (code.isEmpty() ? "" : " " + code) + ": " + detail;
    return new ConnectorException(
        VENDOR,
        status,
        retryable,
        retryable ? base.retryAfter().orElse(null) : null,
        body,
        message);
  }

  private static JsonNode parse(String raw) {
    try {
      JsonNode root = JSON.readTree(raw);
      if (root == null || !root.isObject()) {
        throw malformed(raw, "the answer is not a JSON object");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw malformed(raw, "the answer is not valid JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static ConnectorException malformed(String raw, String what) {
    return new ConnectorException(VENDOR, 200, false, null, raw, what);
  }

  private static OpenAiUsage usage(JsonNode root) {
    JsonNode u = root.path("usage");
    long prompt = u.path("prompt_tokens").asLong(0);
    long completion = u.path("completion_tokens").asLong(0);
    return new OpenAiUsage(prompt, completion, u.path("total_tokens").asLong(prompt + completion));
  }

  /** A pessimistic guess (2 characters per token) so a batch never crosses the request limit. */
  static long estimateTokens(String text) {
    return text.length() / 2 + 1;
  }

  @Override
  public void close() {
    http.close();
  }
}
