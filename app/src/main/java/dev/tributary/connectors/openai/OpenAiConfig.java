package dev.tributary.connectors.openai;

import dev.tributary.config.OpenAiSettings;
import dev.tributary.config.StartupException;
import dev.tributary.connectors.ConfigChecks;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link OpenAiClient}. {@link #from(OpenAiSettings)} takes the settings of {@code
 * OPENAI_API_KEY}, {@code OPENAI_BASE_URL}, {@code OPENAI_EMBEDDING_MODEL}, {@code
 * OPENAI_EMBEDDING_DIMENSIONS}, {@code OPENAI_CHAT_MODEL}.
 *
 * @param embeddingBatchSize inputs per {@code /embeddings} request (the API takes up to 2048)
 */
public record OpenAiConfig(
    String apiKey,
    URI baseUrl,
    String embeddingModel,
    int embeddingDimensions,
    String chatModel,
    int embeddingBatchSize,
    Duration connectTimeout,
    Duration requestTimeout,
    Clock clock) {

  public static final String DEFAULT_BASE_URL = OpenAiSettings.DEFAULT_BASE_URL;
  public static final String DEFAULT_EMBEDDING_MODEL = OpenAiSettings.DEFAULT_EMBEDDING_MODEL;

  /** See {@link OpenAiSettings#DEFAULT_EMBEDDING_DIMENSIONS}. */
  public static final int DEFAULT_EMBEDDING_DIMENSIONS =
      OpenAiSettings.DEFAULT_EMBEDDING_DIMENSIONS;

  /** See {@link OpenAiSettings#DEFAULT_CHAT_MODEL}. */
  public static final String DEFAULT_CHAT_MODEL = OpenAiSettings.DEFAULT_CHAT_MODEL;

  public static final int DEFAULT_EMBEDDING_BATCH_SIZE = 256;
  public static final int MAX_EMBEDDING_BATCH_SIZE = 2048;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public OpenAiConfig {
    Objects.requireNonNull(clock, "clock");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * From the parsed settings; a missing key or a bad value is a {@link StartupException} naming the
   * variable.
   */
  public static OpenAiConfig from(OpenAiSettings settings) {
    try {
      return read(settings);
    } catch (IllegalArgumentException e) {
      throw new StartupException("OpenAI provider: " + e.getMessage());
    }
  }

  private static OpenAiConfig read(OpenAiSettings settings) {
    return builder()
        .apiKey(
            settings
                .apiKey()
                .orElseThrow(() -> OpenAiSettings.OPENAI_API_KEY.missing("The OpenAI provider")))
        .baseUrl(settings.baseUrl())
        .embeddingModel(settings.embeddingModel())
        .embeddingDimensions(settings.embeddingDimensions())
        .chatModel(settings.chatModel())
        .build();
  }

  @Override
  public String toString() {
    return "OpenAiConfig[baseUrl="
        + baseUrl
        + ", embeddingModel="
        + embeddingModel
        + ", embeddingDimensions="
        + embeddingDimensions
        + ", chatModel="
        + chatModel
        + ", embeddingBatchSize="
        + embeddingBatchSize
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + ", apiKey=***]";
  }

  public static final class Builder {
    private String apiKey;
    private String baseUrl = DEFAULT_BASE_URL;
    private String embeddingModel = DEFAULT_EMBEDDING_MODEL;
    private int embeddingDimensions = DEFAULT_EMBEDDING_DIMENSIONS;
    private String chatModel = DEFAULT_CHAT_MODEL;
    private int embeddingBatchSize = DEFAULT_EMBEDDING_BATCH_SIZE;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    public Builder apiKey(String v) {
      this.apiKey = v;
      return this;
    }

    public Builder baseUrl(String v) {
      this.baseUrl = v;
      return this;
    }

    public Builder embeddingModel(String v) {
      this.embeddingModel = v;
      return this;
    }

    public Builder embeddingDimensions(int v) {
      this.embeddingDimensions = v;
      return this;
    }

    public Builder chatModel(String v) {
      this.chatModel = v;
      return this;
    }

    public Builder embeddingBatchSize(int v) {
      this.embeddingBatchSize = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      this.connectTimeout = v;
      return this;
    }

    public Builder requestTimeout(Duration v) {
      this.requestTimeout = v;
      return this;
    }

    public Builder clock(Clock v) {
      this.clock = v;
      return this;
    }

    public OpenAiConfig build() {
      if (apiKey == null || apiKey.isBlank()) {
        throw new IllegalArgumentException("the OpenAI key (OPENAI_API_KEY) is required");
      }
      URI base = ConfigChecks.httpBaseUrl("OPENAI_BASE_URL", baseUrl);
      requireName("embedding model", embeddingModel);
      requireName("chat model", chatModel);
      if (embeddingDimensions < 1 || embeddingDimensions > 3072) {
        throw new IllegalArgumentException(
            "embedding dimensions must be between 1 and 3072, got " + embeddingDimensions);
      }
      if (embeddingBatchSize < 1 || embeddingBatchSize > MAX_EMBEDDING_BATCH_SIZE) {
        throw new IllegalArgumentException(
            "embedding batch size must be between 1 and "
                + MAX_EMBEDDING_BATCH_SIZE
                + ", got "
                + embeddingBatchSize);
      }
      ConfigChecks.positive("connect timeout", connectTimeout);
      ConfigChecks.positive("request timeout", requestTimeout);
      return new OpenAiConfig(
          apiKey.strip(),
          base,
          embeddingModel.strip(),
          embeddingDimensions,
          chatModel.strip(),
          embeddingBatchSize,
          connectTimeout,
          requestTimeout,
          clock);
    }

    private static void requireName(String what, String v) {
      if (v == null || v.isBlank() || v.length() > 200) {
        throw new IllegalArgumentException(what + " must be a model name, got '" + v + "'");
      }
    }
  }
}
