package dev.tributary.ai;

/**
 * The label chosen for one text.
 *
 * @param confidence between 0 and 1; how sure the provider is (local: share of the best label in a
 *     softmax over similarities; OpenAI: the model's own estimate)
 * @param classifiedBy provider and model, stored in {@code viral_posts_bank.classified_by}
 */
public record Classification(Label label, double confidence, String classifiedBy) {}
