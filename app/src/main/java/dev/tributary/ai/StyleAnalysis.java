package dev.tributary.ai;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A profile's writing style: the prompt a writer (human or model) follows to sound like the author,
 * and the measurements behind it.
 *
 * @param writingStylePrompt stored in {@code profiles.writing_style_prompt}
 * @param styleAnalysis stored in {@code profiles.style_analysis}
 * @param analyzedBy provider and model, stored in {@code profiles.style_analyzed_by}
 */
public record StyleAnalysis(
    String writingStylePrompt, ObjectNode styleAnalysis, String analyzedBy, TokenUsage usage) {}
