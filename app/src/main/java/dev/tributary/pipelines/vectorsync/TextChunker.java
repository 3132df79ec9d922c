package dev.tributary.pipelines.vectorsync;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits long text into overlapping windows of words, so each chunk fits an embedding model's input
 * and a sentence cut at a boundary still appears whole in the next chunk. Short text is one chunk.
 * Whitespace is normalised, so reflowing a document does not change its chunks (or their hashes).
 */
public record TextChunker(int chunkWords, int overlapWords) {
  /** ~200 words stay well under MiniLM's 256-token window and OpenAI's 8,191. */
  public static final TextChunker DEFAULT = new TextChunker(200, 40);

  public TextChunker {
    if (chunkWords < 1 || overlapWords < 0 || overlapWords >= chunkWords) {
      throw new IllegalArgumentException("need chunkWords >= 1 and 0 <= overlapWords < chunkWords");
    }
  }

  public List<String> chunk(String text) {
    String[] words = text == null ? new String[0] : text.strip().split("\\s+");
    if (words.length == 0 || (words.length == 1 && words[0].isEmpty())) {
      return List.of();
    }
    List<String> chunks = new ArrayList<>();
    int step = chunkWords - overlapWords;
    for (int start = 0; ; start += step) {
      int end = Math.min(words.length, start + chunkWords);
      chunks.add(String.join(" ", java.util.Arrays.copyOfRange(words, start, end)));
      if (end == words.length) {
        return chunks;
      }
    }
  }
}
