package dev.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI provider: with a key, embeddings, classification and style analysis go to OpenAI (or a
 * compatible endpoint); without, the local models answer.
 */
public record OpenAiSettings(
    Optional<String> apiKey,
    String baseUrl,
    String embeddingModel,
    int embeddingDimensions,
    String chatModel) {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_EMBEDDING_MODEL = "text-embedding-3-small";

  /** text-embedding-3-small's native size; the API shortens vectors when asked for fewer. */
  public static final int DEFAULT_EMBEDDING_DIMENSIONS = 1536;

  public static final int MAX_EMBEDDING_DIMENSIONS = 3072;

  /**
   * The seed classifies with gpt-4o-mini (000) and "gpt-5-mini" (001); 4o-mini supports strict
   * json_schema.
   */
  public static final String DEFAULT_CHAT_MODEL = "gpt-4o-mini";

  public static final int MAX_MODEL_NAME_LENGTH = 200;

  public static final Variable OPENAI_API_KEY =
      Variable.optional("OPENAI_API_KEY", "local models", "enables the OpenAI provider");
  public static final Variable OPENAI_BASE_URL =
      Variable.withDefault("OPENAI_BASE_URL", DEFAULT_BASE_URL, "OpenAI-compatible endpoint");
  public static final Variable OPENAI_EMBEDDING_MODEL =
      Variable.withDefault(
          "OPENAI_EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL, "OpenAI embedding model");
  public static final Variable OPENAI_EMBEDDING_DIMENSIONS =
      Variable.withDefault(
          "OPENAI_EMBEDDING_DIMENSIONS",
          DEFAULT_EMBEDDING_DIMENSIONS,
          "dimensions asked of the OpenAI embedding model");
  public static final Variable OPENAI_CHAT_MODEL =
      Variable.withDefault(
          "OPENAI_CHAT_MODEL", DEFAULT_CHAT_MODEL, "model of classification and style analysis");

  public static final List<Variable> VARIABLES =
      List.of(
          OPENAI_API_KEY,
          OPENAI_BASE_URL,
          OPENAI_EMBEDDING_MODEL,
          OPENAI_EMBEDDING_DIMENSIONS,
          OPENAI_CHAT_MODEL);

  /** No key and every default: the local models answer. (After the variables it reads.) */
  public static final OpenAiSettings LOCAL = parse(Map.of());

  public static OpenAiSettings parse(Map<String, String> env) {
    return new OpenAiSettings(
        OPENAI_API_KEY.read(env),
        OPENAI_BASE_URL.httpUrl(env, DEFAULT_BASE_URL),
        OPENAI_EMBEDDING_MODEL.token(env, MAX_MODEL_NAME_LENGTH).orElse(DEFAULT_EMBEDDING_MODEL),
        OPENAI_EMBEDDING_DIMENSIONS.integer(
            env, DEFAULT_EMBEDDING_DIMENSIONS, 1, MAX_EMBEDDING_DIMENSIONS),
        OPENAI_CHAT_MODEL.token(env, MAX_MODEL_NAME_LENGTH).orElse(DEFAULT_CHAT_MODEL));
  }

  @Override
  public String toString() {
    return "OpenAiSettings[baseUrl="
        + baseUrl
        + ", embeddingModel="
        + embeddingModel
        + ", embeddingDimensions="
        + embeddingDimensions
        + ", chatModel="
        + chatModel
        + ", apiKey=***]";
  }
}
