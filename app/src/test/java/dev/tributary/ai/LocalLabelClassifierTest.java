package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LocalLabelClassifierTest {
  private static final LocalOnnxEmbedder EMBEDDER = new LocalOnnxEmbedder();
  private static HikariDataSource db;
  private static List<Label> hookTypes;
  private static List<Label> topics;
  private static List<Label> audiences;

  @BeforeAll
  static void catalogues() {
    db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
    hookTypes = SeedCatalogues.read(db, "hook_types");
    topics = SeedCatalogues.read(db, "topics");
    audiences = SeedCatalogues.read(db, "audiences");
  }

  @AfterAll
  static void close() {
    db.close();
  }

  private static Map<String, String> labelsOf(
      LabelClassifier c, List<String> texts, List<Label> labels) {
    var result = c.classify(texts, labels);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      out.put(texts.get(i), result.classifications().get(i).label().name());
    }
    return out;
  }

  @Test
  void hooks_of_real_posts_get_the_seed_hook_type_a_reader_would_pick() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("What would you do if your biggest client left tomorrow?", "question");
    expected.put("73% of B2B buyers never talk to a salesperson before they buy.", "statistic");
    expected.put("6 lessons from hiring our first 20 engineers:", "list");
    expected.put("How to run a one-hour weekly planning session that actually works.", "how_to");
    expected.put("Ten years ago I walked into my first office with a borrowed laptop.", "story");
    expected.put("Stop chasing viral posts.", "contrarian");
    expected.put("Product managers, this one is for you.", "call_out");
    expected.put("Nobody talks about the loneliest part of being a founder.", "curiosity_gap");
    expected.put(
        "I have a confession: I never read the books I recommend on this feed.",
        "personal_confession");

    var got =
        labelsOf(
            new LocalLabelClassifier(EMBEDDER, new HookCues()),
            List.copyOf(expected.keySet()),
            hookTypes);

    assertThat(got).isEqualTo(expected);
  }

  /**
   * The cascade classifies a hook from the pass that embeds its post (the hook's tokens read within
   * the post) instead of embedding it alone. On hooks whose type a reader would agree on, each in
   * posts of different bodies, that reading must be as accurate as the hook alone.
   */
  @Test
  void hooks_read_within_their_posts_are_classified_as_accurately_as_hooks_embedded_alone() {
    Map<String, String> expected = new LinkedHashMap<>();
    String[][] templates = {
      {"What would you change about %s if you started again tomorrow?", "question"},
      {"42%% of teams get %s wrong in their first year.", "statistic"},
      {"5 lessons I learned the hard way about %s:", "list"},
      {"How to fix %s in one afternoon.", "how_to"},
      {"7 years ago I knew nothing about %s.", "story"},
      {"Stop overthinking %s.", "contrarian"},
      {"I almost gave up on %s last month.", "personal_confession"},
      {"Nobody talks about the boring part of %s.", "curiosity_gap"},
      {"Founders, read this before you touch %s again.", "call_out"},
      {"Why does nobody budget for %s?", "question"},
      {"Here's how we rebuilt %s from scratch.", "how_to"},
      {"Unpopular opinion: %s is overrated.", "contrarian"},
    };
    for (String topic : List.of("pricing", "remote work", "sales calls", "fundraising")) {
      for (String[] t : templates) {
        String hook = String.format(t[0], topic);
        expected.put(Character.toUpperCase(hook.charAt(0)) + hook.substring(1), t[1]);
      }
    }
    List<String> bodies =
        List.of(
            "We tried the obvious playbook first and it failed within two weeks. So we wrote down"
                + " every step and removed half of them.\n\nWhat would you add?",
            "Most advice assumes time and money you do not have.\n\n1. Start small\n2. Measure"
                + " one thing\n3. Ask customers first\n\nSave this for later. #startups");
    List<String> hooks = List.copyOf(expected.keySet());
    var classifier = new LocalLabelClassifier(EMBEDDER, new HookCues());
    int alone = correct(classifier.classify(hooks, hookTypes), hooks, expected) * bodies.size();
    int inPosts = 0;
    for (String body : bodies) {
      List<String> posts = new ArrayList<>();
      List<Integer> hookChars = new ArrayList<>();
      for (String hook : hooks) {
        posts.add(hook + "\n\n" + hook + " " + body); // the embedded text: hook, then content
        hookChars.add(hook.length());
      }
      List<float[]> vectors =
          EMBEDDER.embedWithPrefix(posts, hookChars).stream()
              .map(Embedder.WithPrefix::prefix)
              .toList();
      inPosts += correct(classifier.classifyVectors(hooks, vectors, hookTypes), hooks, expected);
    }
    int total = hooks.size() * bodies.size();
    assertThat((double) inPosts / total)
        .as("accuracy in posts (%d of %d) against alone (%d)", inPosts, total, alone)
        .isGreaterThanOrEqualTo((double) alone / total - 0.05);
  }

  private static int correct(
      LabelClassifier.Result result, List<String> hooks, Map<String, String> expected) {
    int ok = 0;
    for (int i = 0; i < hooks.size(); i++) {
      if (result.classifications().get(i).label().name().equals(expected.get(hooks.get(i)))) {
        ok++;
      }
    }
    return ok;
  }

  @Test
  void topics_and_audiences_of_real_posts_are_the_obvious_ones() {
    Map<String, String> topicsExpected = new LinkedHashMap<>();
    topicsExpected.put(
        "We closed our seed round last week after 60 investor meetings. Here is what I learned about pitching.",
        "entrepreneurship");
    topicsExpected.put(
        "My morning routine: no phone until 9, two hours of deep work, then meetings.",
        "productivity");
    topicsExpected.put(
        "Our SDR team booked 40% more demos after we rewrote the first line of every cold email.",
        "sales");
    topicsExpected.put(
        "We moved our whole backend from Python to Go and cut cloud costs by half.", "technology");
    topicsExpected.put(
        "I was rejected from 47 jobs before landing my first role in tech.", "career");
    Map<String, String> audiencesExpected = new LinkedHashMap<>();
    audiencesExpected.put(
        "If you are interviewing this month, prepare these three stories about yourself.",
        "job_seekers");
    audiencesExpected.put(
        "Raising a pre-seed round? Investors care about the team more than the deck.", "founders");
    audiencesExpected.put(
        "Freelancers: raise your day rate every January. Clients expect it.", "freelancers");
    var plain = new LocalLabelClassifier(EMBEDDER, LocalLabelClassifier.Cues.NONE);

    assertThat(labelsOf(plain, List.copyOf(topicsExpected.keySet()), topics))
        .isEqualTo(topicsExpected);
    assertThat(labelsOf(plain, List.copyOf(audiencesExpected.keySet()), audiences))
        .isEqualTo(audiencesExpected);
  }

  @Test
  void each_result_names_the_provider_and_a_confidence_between_0_and_1_and_costs_no_tokens() {
    var c = new LocalLabelClassifier(EMBEDDER, new HookCues());

    var result = c.classify(List.of("Why do most product launches fail?", "ok"), hookTypes);

    assertThat(c.providerId()).isEqualTo("local:all-minilm-l6-v2-q");
    assertThat(result.usage()).isEqualTo(TokenUsage.NONE);
    for (Classification cl : result.classifications()) {
      assertThat(cl.classifiedBy()).isEqualTo("local:all-minilm-l6-v2-q");
      assertThat(cl.confidence()).isBetween(1.0 / hookTypes.size(), 1.0);
    }
    assertThat(result.classifications().get(0).confidence())
        .isGreaterThan(result.classifications().get(1).confidence());
  }

  @Test
  void catalogue_vectors_are_embedded_once_and_again_only_when_a_label_changes() {
    CountingEmbedder counting = new CountingEmbedder(EMBEDDER);
    var c = new LocalLabelClassifier(counting, LocalLabelClassifier.Cues.NONE);
    c.classify(List.of("first text"), topics);
    int afterFirst = counting.texts();

    c.classify(List.of("second text"), topics);
    assertThat(counting.texts() - afterFirst).isEqualTo(1);

    List<Label> edited = new ArrayList<>(topics);
    Label old = edited.get(0);
    edited.set(
        0,
        new Label(
            old.id(), old.name(), old.description() + " Also bootstrapping.", old.examples()));
    int beforeEdit = counting.texts();
    c.classify(List.of("third text"), edited);
    assertThat(counting.texts() - beforeEdit).isEqualTo(2);
  }

  @Test
  void an_empty_catalogue_is_refused() {
    assertThatThrownBy(
            () ->
                new LocalLabelClassifier(EMBEDDER, LocalLabelClassifier.Cues.NONE)
                    .classify(List.of("x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
