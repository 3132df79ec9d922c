package dev.tributary.ai;

/**
 * Tokens a provider billed for a call; local models bill nothing ({@link #NONE}). Summable across
 * calls.
 */
public record TokenUsage(long promptTokens, long completionTokens, long totalTokens) {
  public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

  /** What OpenAI billed, in our terms. */
  public static TokenUsage of(dev.tributary.connectors.openai.OpenAiUsage u) {
    return new TokenUsage(u.promptTokens(), u.completionTokens(), u.totalTokens());
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        promptTokens + other.promptTokens,
        completionTokens + other.completionTokens,
        totalTokens + other.totalTokens);
  }
}
