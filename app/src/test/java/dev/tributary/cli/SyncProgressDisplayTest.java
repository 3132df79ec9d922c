package dev.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.pipelines.profiles.ScrapeOutcome;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SyncProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static ScrapeOutcome synced(String id, int received, int inserted) {
    return new ScrapeOutcome(
        UUID.randomUUID(),
        id,
        ScrapeOutcome.Status.SYNCED,
        received,
        1,
        0,
        inserted,
        received - inserted - 1,
        0,
        0,
        null);
  }

  @Test
  void on_a_terminal_one_line_is_redrawn_in_place() {
    try (SyncProgressDisplay bar = SyncProgressDisplay.forOutput(out, true)) {
      bar.started(2);
      bar.profileDone(synced("synthetic-a", 10, 4));
      bar.profileDone(
          new ScrapeOutcome(
              UUID.randomUUID(),
              "synthetic-b",
              ScrapeOutcome.Status.FAILED,
              0,
              0,
              0,
              0,
              0,
              0,
              2,
              "HTTP 404: not found"));
      bar.stage("embedding new posts");
    }
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertThat(s)
        .contains("\r[############------------] 1/2 profiles · 4 new posts · 0:00 · scraping");
    assertThat(s).contains("synthetic-b: failed (2 in a row): HTTP 404: not found\n");
    assertThat(s).contains("\r[########################] 2/2 profiles · 4 new posts");
    assertThat(s).contains("embedding new posts").containsPattern("· done *\n$");
    assertThat(s.split("\n")).hasSize(2);
  }

  @Test
  void elsewhere_each_profile_gets_a_plain_line() {
    try (SyncProgressDisplay lines = SyncProgressDisplay.forOutput(out, false)) {
      lines.started(1);
      lines.profileDone(synced("synthetic-a", 10, 4));
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "1 profile(s) due for sync\n"
                + "[1/1] synced   synthetic-a                      10 scraped, 4 new, 5 already known, 1 reshares skipped\n");
  }
}
