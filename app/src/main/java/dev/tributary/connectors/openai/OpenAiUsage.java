package dev.tributary.connectors.openai;

/** The {@code usage} object of an OpenAI answer: tokens billed for the call. Summable. */
public record OpenAiUsage(long promptTokens, long completionTokens, long totalTokens) {
  public static final OpenAiUsage NONE = new OpenAiUsage(0, 0, 0);

  public OpenAiUsage plus(OpenAiUsage other) {
    return new OpenAiUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        totalTokens + other.totalTokens);
  }
}
