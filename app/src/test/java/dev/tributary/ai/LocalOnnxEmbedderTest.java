package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalOnnxEmbedderTest {
  private static final LocalOnnxEmbedder EMBEDDER = new LocalOnnxEmbedder();

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Test
  void vectors_are_normalised_and_have_384_dimensions() {
    float[] v = EMBEDDER.embed("How I grew my newsletter to 50,000 readers in a year");
    assertThat(v).hasSize(384);
    assertThat(dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
  }

  @Test
  void related_texts_are_closer_than_unrelated_ones() {
    List<float[]> v =
        EMBEDDER.embed(
            List.of(
                "Hiring engineers is the hardest part of running a startup",
                "Recruiting great developers is what founders struggle with most",
                "My grandmother's recipe for apple pie needs cinnamon"));
    assertThat(dot(v.get(0), v.get(1))).isGreaterThan(dot(v.get(0), v.get(2)) + 0.2);
  }

  @Test
  void blank_text_gets_the_zero_vector_and_keeps_its_place_in_the_batch() {
    List<float[]> v = EMBEDDER.embed(List.of("", "Pricing lessons from ten years of SaaS", "  "));
    assertThat(v).hasSize(3);
    assertThat(dot(v.get(0), v.get(0))).isZero();
    assertThat(dot(v.get(1), v.get(1))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(dot(v.get(2), v.get(2))).isZero();
  }

  @Test
  void vectors_match_those_of_langchain4js_own_session_so_stored_vectors_stay_comparable() {
    List<String> texts =
        List.of(
            "Stop overthinking pricing.",
            "3 lessons I learned the hard way about hiring:\n\nWrite it down. Share it early.",
            "Café crème, naïve résumé 🚀 — über-fast ✅ #growth",
            "word ".repeat(700)); // past the tokenizer's 128 tokens: cut the same way
    var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
    List<float[]> ours = new LocalOnnxEmbedder(1).embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] theirs =
          LocalOnnxEmbedder.normalize(
              reference.embed(TextSegment.from(texts.get(i))).content().vector());
      assertThat(ours.get(i)).as("text %d, bit for bit", i).isEqualTo(theirs);
    }
  }

  @Test
  void a_batch_gives_each_text_the_vector_it_gets_alone() {
    List<String> texts =
        List.of(
            "How to fix onboarding in one afternoon.",
            "Nobody talks about the boring part of sales.",
            "I almost gave up on fundraising last month.");
    List<float[]> together = EMBEDDER.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(dot(together.get(i), EMBEDDER.embed(texts.get(i)))).isGreaterThan(0.99999);
    }
  }

  @Test
  void a_prefix_is_read_in_the_same_pass_and_the_text_vector_stays_what_embed_gives() {
    String hook = "Stop overthinking pricing.";
    List<String> texts =
        List.of(
            hook + "\n\n" + hook + " Charge for the value, then talk to ten customers.",
            "A text without a prefix asked for",
            "  ");
    List<Embedder.WithPrefix> read = EMBEDDER.embedWithPrefix(texts, List.of(hook.length(), 0, 2));
    List<float[]> plain = EMBEDDER.embed(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(read.get(i).text()).as("text %d", i).isEqualTo(plain.get(i));
    }
    float[] prefix = read.get(0).prefix();
    assertThat(dot(prefix, prefix)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(read.get(1).prefix()).isNull();
    assertThat(read.get(2).prefix()).isNull();
    // read in context it is still the hook: nearer the hook alone than to the whole post's vector
    float[] alone = EMBEDDER.embed(hook);
    assertThat(dot(prefix, alone)).isGreaterThan(0.8).isGreaterThan(dot(plain.get(0), alone));
  }
}
