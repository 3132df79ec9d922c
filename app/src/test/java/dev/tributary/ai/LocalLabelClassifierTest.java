package dev.tributary.ai;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.TestPostgres;
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

  private static Map<String, String> classify(LabelClassifier c, Map<String, String> expected, List<Label> labels) {
    List<String> texts = List.copyOf(expected.keySet());
    var result = c.classify(texts, labels);
    var out = new java.util.LinkedHashMap<String, String>();
    for (int i = 0; i < texts.size(); i++) {
      out.put(texts.get(i), result.classifications().get(i).label().name());
    }
    return out;
  }

  @Test
  void scratch_hooks() {
    var c = new LocalLabelClassifier(EMBEDDER, new HookCues());
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("What would you do if your biggest client left tomorrow?", "question");
    expected.put("I got fired on my birthday. Best thing that ever happened to me.", "personal_confession");
    expected.put("73% of B2B buyers never talk to a salesperson before they buy.", "statistic");
    expected.put("6 lessons from hiring our first 20 engineers:", "list");
    expected.put("How to run a one-hour weekly planning session that actually works.", "how_to");
    expected.put("Ten years ago I walked into my first office with a borrowed laptop.", "story");
    expected.put("Stop chasing viral posts.", "contrarian");
    expected.put("Product managers, this one is for you.", "call_out");
    expected.put("Nobody talks about the loneliest part of being a founder.", "curiosity_gap");
    expected.put("Remote work is not the problem. Bad management is.", "bold_statement");
    var got = classify(c, expected, hookTypes);
    got.forEach((k, v) -> System.out.println(v + " <- " + k + "   (expected " + expected.get(k) + ")"));
    Map<String, String> t = new java.util.LinkedHashMap<>();
    t.put("We closed our seed round last week after 60 investor meetings. Here is what I learned about pitching.", "entrepreneurship");
    t.put("My morning routine: no phone until 9, two hours of deep work, then meetings.", "productivity");
    t.put("Our SDR team booked 40% more demos after we rewrote the first line of every cold email.", "sales");
    t.put("We moved our whole backend from Python to Go and cut cloud costs by half.", "technology");
    t.put("I was rejected from 47 jobs before landing my first role in tech.", "career");
    classify(c, t, topics).forEach((k, v) -> System.out.println(v + " <- " + k + "   (expected " + t.get(k) + ")"));
    Map<String, String> a = new java.util.LinkedHashMap<>();
    a.put("If you are interviewing this month, prepare these three stories about yourself.", "job_seekers");
    a.put("Your code review comments say more about your team than your architecture does.", "developers");
    a.put("Raising a pre-seed round? Investors care about the team more than the deck.", "founders");
    a.put("Freelancers: raise your day rate every January. Clients expect it.", "freelancers");
    classify(c, a, audiences).forEach((k, v) -> System.out.println(v + " <- " + k + "   (expected " + a.get(k) + ")"));
  }
}
