package dev.tributary.pipelines.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.testing.Await;
import dev.tributary.sandbox.UnipileSandbox.Fault;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PublishingPipelineTest {
  final PublishingWorld w = new PublishingWorld();

  @AfterEach
  void close() {
    w.close();
  }

  @Test
  void a_post_goes_out_at_its_own_time_once_with_its_provider_ids_and_a_published_posts_row() {
    w.node("node-a");
    UUID profile = w.profile("Ada Lovelace");
    UUID account = w.account(profile, "acc-ada", "ACoADA");
    UUID post =
        w.scheduledPost(
            profile, account, "Analytical engines ship today", w.clock.instant().plusSeconds(30));

    assertThat(w.status(post)).isEqualTo("pending");
    w.clock.advance(Duration.ofSeconds(31));
    Await.until("the post is published", () -> w.status(post).equals("published"));

    Map<String, Object> row =
        w.rows.row(
            "SELECT external_post_id, post_url, published_at, attempts FROM scheduled_posts WHERE id = ?",
            post);
    assertThat(row.get("external_post_id")).isNotNull();
    assertThat((String) row.get("post_url")).contains((String) row.get("external_post_id"));
    assertThat(row.get("published_at")).isNotNull();
    assertThat(row.get("attempts")).isEqualTo(1);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM published_posts WHERE scheduled_post_id = ? AND source = 'scheduled_post'",
                post))
        .isEqualTo(1);
    assertThat(w.rows.text("SELECT state FROM publishing_attempts WHERE source_id = ?", post))
        .isEqualTo("created");
    assertThat(w.sandbox.createdWithText("Analytical engines ship today")).isEqualTo(1);
  }

  @Test
  void moving_a_post_moves_its_job_and_cancelling_it_cancels_the_job() {
    UUID profile = w.profile("Grace Hopper");
    UUID account = w.account(profile, "acc-grace", "ACoGRACE");
    Instant first = w.clock.instant().plusSeconds(60);
    UUID post = w.scheduledPost(profile, account, "Moved post", first);
    assertThat(jobStates(post)).containsExactly("available@" + first);

    Instant later = first.plusSeconds(600);
    w.rows.update(
        "UPDATE scheduled_posts SET scheduled_at = ? WHERE id = ?",
        java.sql.Timestamp.from(later),
        post);
    assertThat(jobStates(post))
        .containsExactlyInAnyOrder("cancelled@" + first, "available@" + later);

    w.rows.update("UPDATE scheduled_posts SET status = 'cancelled' WHERE id = ?", post);
    assertThat(jobStates(post)).containsOnly("cancelled@" + first, "cancelled@" + later);

    w.node("node-a");
    w.clock.advance(Duration.ofSeconds(700));
    UUID control = w.scheduledPost(profile, account, "Control post", w.clock.instant());
    Await.until("the control post is published", () -> w.status(control).equals("published"));
    assertThat(w.status(post)).isEqualTo("cancelled");
    assertThat(w.sandbox.createdWithText("Moved post")).isZero();
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {
        "CREATED_ANSWER_DROPPED",
        "CREATED_THEN_500",
        "CREATED_THEN_504",
        "CREATED_TOO_SLOW"
      })
  void a_lost_answer_is_reconciled_by_listing_and_never_published_twice(Fault fault) {
    w.sandbox.slowFor(Duration.ofSeconds(10));
    w.node("node-a");
    UUID profile = w.profile("Alan Turing");
    UUID account = w.account(profile, "acc-alan", "ACoALAN");
    String text = "Lost answer: " + fault;
    w.sandbox.failOnce(text, fault);
    UUID post = w.scheduledPost(profile, account, text, w.clock.instant());

    Await.until("the outcome is unknown", () -> "unknown".equals(lastAttempt(post)));
    assertThat(w.status(post)).isEqualTo("publishing");
    assertThat(w.sandbox.createdWithText(text)).isEqualTo(1);

    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until("the post is reconciled", () -> w.status(post).equals("published"));

    assertThat(w.sandbox.createdWithText(text)).isEqualTo(1);
    assertThat(w.sandbox.createCalls()).isEqualTo(1);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM publishing_attempts WHERE source_id = ? AND reconciled AND state = 'created'",
                post))
        .isEqualTo(1);
    assertThat(
            w.rows.count("SELECT count(*) FROM published_posts WHERE scheduled_post_id = ?", post))
        .isEqualTo(1);
  }

  @Test
  void a_lost_answer_of_a_post_that_was_not_created_is_sent_again_after_the_settle_delay() {
    w.node("node-a");
    UUID profile = w.profile("Edsger Dijkstra");
    UUID account = w.account(profile, "acc-ed", "ACoED");
    w.sandbox.failOnce("Gateway lost it", Fault.LOST_BEFORE_CREATION);
    UUID post = w.scheduledPost(profile, account, "Gateway lost it", w.clock.instant());

    Await.until("the outcome is unknown", () -> "unknown".equals(lastAttempt(post)));
    assertThat(w.sandbox.createdWithText("Gateway lost it")).isZero();
    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until("the post is published", () -> w.status(post).equals("published"));

    assertThat(w.sandbox.createdWithText("Gateway lost it")).isEqualTo(1);
    assertThat(
            w.rows.column(
                "SELECT state FROM publishing_attempts WHERE source_id = ? ORDER BY started_at",
                post))
        .containsExactly("absent", "created");
  }

  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"REFUSED_429", "REFUSED_503"})
  void a_refusal_before_creation_is_retried_with_backoff(Fault fault) {
    w.node("node-a");
    UUID profile = w.profile("Barbara Liskov");
    UUID account = w.account(profile, "acc-bl", "ACoBL");
    w.sandbox.failOnce("Busy provider", fault);
    UUID post = w.scheduledPost(profile, account, "Busy provider", w.clock.instant());

    Await.until("the refusal is recorded", () -> "refused".equals(lastAttempt(post)));
    Await.until(
        "the job waits for its retry",
        () ->
            w.rows.count(
                    "SELECT count(*) FROM tributary.jobs WHERE state = 'available' AND attempt = 1")
                == 1);
    assertThat(w.sandbox.createdWithText("Busy provider")).isZero();
    w.clock.advance(Duration.ofSeconds(15));
    Await.until("the post is published", () -> w.status(post).equals("published"));
    assertThat(w.sandbox.createdWithText("Busy provider")).isEqualTo(1);
  }

  @Test
  void a_disconnected_account_fails_its_posts_with_a_clear_message_and_is_marked() {
    w.node("node-a");
    UUID profile = w.profile("Ken Thompson");
    UUID account = w.account(profile, "acc-ken", "ACoKEN");
    w.sandbox.disconnect("acc-ken");
    UUID post = w.scheduledPost(profile, account, "Unix at fifty", w.clock.instant());

    Await.until("the post failed", () -> w.status(post).equals("failed"));
    assertThat(w.rows.text("SELECT error_message FROM scheduled_posts WHERE id = ?", post))
        .contains("disconnected_account")
        .contains("reconnect");
    assertThat(w.rows.text("SELECT status FROM unipile_accounts WHERE id = ?", account))
        .isEqualTo("disconnected");

    long calls = w.sandbox.createCalls();
    UUID second = w.scheduledPost(profile, account, "Second post", w.clock.instant());
    Await.until("the second post failed", () -> w.status(second).equals("failed"));
    assertThat(w.sandbox.createCalls())
        .as("nothing sent that would certainly fail")
        .isEqualTo(calls);
    assertThat(
            w.sandbox.createdWithText("Unix at fifty") + w.sandbox.createdWithText("Second post"))
        .isZero();
  }

  @Test
  void media_is_attached_and_a_broken_media_url_fails_the_post_without_sending_it() {
    w.node("node-a");
    UUID profile = w.profile("Margaret Hamilton");
    UUID account = w.account(profile, "acc-mh", "ACoMH");
    String image = w.sandbox.media("apollo.png", new byte[] {1, 2, 3, 4, 5});
    UUID withImage =
        w.scheduledPost(
            profile,
            account,
            "With image",
            w.clock.instant(),
            "[{\"url\":\"" + image + "\",\"type\":\"image\",\"name\":\"apollo.png\"}]");
    UUID broken =
        w.scheduledPost(
            profile,
            account,
            "Broken image",
            w.clock.instant(),
            "[{\"url\":\""
                + w.sandbox.baseUrl()
                + "/media/missing.png\",\"type\":\"image\",\"name\":\"missing.png\"}]");

    Await.until(
        "both settled",
        () -> w.status(withImage).equals("published") && w.status(broken).equals("failed"));
    assertThat(w.sandbox.posts())
        .filteredOn(p -> p.text().equals("With image"))
        .singleElement()
        .satisfies(p -> assertThat(p.attachments()).isEqualTo(1));
    assertThat(w.rows.text("SELECT error_message FROM scheduled_posts WHERE id = ?", broken))
        .contains("media 'missing.png' could not be downloaded")
        .contains("404");
    assertThat(w.sandbox.createdWithText("Broken image")).isZero();
  }

  @Test
  void text_over_the_limit_or_without_an_account_fails_without_calling_the_provider() {
    w.node("node-a");
    UUID profile = w.profile("Donald Knuth");
    UUID tooLong = w.scheduledPost(profile, null, "x".repeat(3001), w.clock.instant());
    Await.until("it failed", () -> w.status(tooLong).equals("failed"));
    assertThat(w.rows.text("SELECT error_message FROM scheduled_posts WHERE id = ?", tooLong))
        .contains("no Unipile account");
    UUID account = w.account(profile, "acc-dk", "ACoDK");
    UUID tooLong2 = w.scheduledPost(profile, account, "y".repeat(3001), w.clock.instant());
    Await.until("it failed", () -> w.status(tooLong2).equals("failed"));
    assertThat(w.rows.text("SELECT error_message FROM scheduled_posts WHERE id = ?", tooLong2))
        .contains("3001 characters");
    assertThat(w.sandbox.createCalls()).isZero();
  }

  @Test
  void two_nodes_on_one_database_publish_each_post_exactly_once() {
    w.node("node-a");
    w.node("node-b");
    UUID profile = w.profile("Leslie Lamport");
    UUID account = w.account(profile, "acc-ll", "ACoLL");
    Instant due = w.clock.instant().plusSeconds(10);
    for (int i = 0; i < 40; i++) {
      w.scheduledPost(profile, account, "Paxos note " + i, due);
    }
    w.clock.advance(Duration.ofSeconds(11));
    // the catch-up cycle races the per-post jobs from both nodes
    w.modules.get(0).cycle().run(100, o -> {});
    w.modules.get(1).cycle().run(100, o -> {});
    // answers slower than the timeout under load are unknown: they settle after the check delay
    Await.until(
        "no call in flight",
        () ->
            w.rows.count("SELECT count(*) FROM publishing_attempts WHERE state = 'sending'") == 0
                && w.rows.count("SELECT count(*) FROM scheduled_posts WHERE status = 'pending'")
                    == 0);
    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until(
        "all published",
        () ->
            w.rows.count("SELECT count(*) FROM scheduled_posts WHERE status = 'published'") == 40);

    for (int i = 0; i < 40; i++) {
      assertThat(w.sandbox.createdWithText("Paxos note " + i)).as("post %d", i).isEqualTo(1);
    }
    assertThat(w.sandbox.posts()).hasSize(40);
    assertThat(w.rows.count("SELECT count(*) FROM published_posts")).isEqualTo(40);
    assertThat(w.rows.column("SELECT DISTINCT node FROM publishing_attempts"))
        .hasSizeGreaterThan(0);
  }

  @Test
  void a_node_killed_between_the_call_and_the_write_is_reconciled_without_a_second_post() {
    UUID profile = w.profile("Barbara Liskov");
    UUID account = w.account(profile, "acc-kill", "ACoKILL");
    UUID post =
        w.scheduledPost(profile, account, "Survives a crash", w.clock.instant().plusSeconds(3600));
    // what a killed node leaves: the row claimed, the attempt recorded, the post created, no write
    // after
    w.rows.update(
        "UPDATE scheduled_posts SET status = 'publishing', scheduled_at = ? WHERE id = ?",
        java.sql.Timestamp.from(w.clock.instant()),
        post);
    w.rows.update(
        "INSERT INTO publishing_attempts (source, source_id, account_id, content, state, node, started_at)"
            + " VALUES ('scheduled_post', ?, 'acc-kill', 'Survives a crash', 'sending', 'dead-node', ?)",
        post,
        java.sql.Timestamp.from(w.clock.instant()));
    new dev.tributary.connectors.unipile.UnipileClient(
            dev.tributary.connectors.unipile.UnipileClientConfig.of(
                w.sandbox.baseUrl(), PublishingWorld.KEY))
        .createPost(dev.tributary.connectors.unipile.PostDraft.of("acc-kill", "Survives a crash"));

    PublishingModule restarted = w.node("node-b");
    CycleResult early = restarted.cycle().run(100, o -> {});
    assertThat(early.published() + early.reconciled())
        .as("not before the answer could have come")
        .isZero();
    w.clock.advance(w.checkAfter().plusSeconds(1));
    CycleResult r = restarted.cycle().run(100, o -> {});

    assertThat(r.reconciled()).isEqualTo(1);
    assertThat(w.status(post)).isEqualTo("published");
    assertThat(w.sandbox.createdWithText("Survives a crash")).isEqualTo(1);
  }

  @Test
  void the_catch_up_cycle_publishes_due_rows_that_have_no_job_and_counts_them() {
    PublishingModule node = w.node("node-a");
    w.engines.get(0).close();
    UUID profile = w.profile("Niklaus Wirth");
    UUID account = w.account(profile, "acc-nw", "ACoNW");
    UUID a = w.scheduledPost(profile, account, "Cycle one", w.clock.instant());
    UUID b = w.scheduledPost(profile, account, "Cycle two", w.clock.instant());
    w.rows.update(
        "UPDATE tributary.jobs SET state = 'cancelled' WHERE kind = 'publishing.publish'");

    CycleResult r = node.cycle().run(100, o -> {});
    assertThat(r.processed()).isEqualTo(2);
    assertThat(r.published()).isEqualTo(2);
    assertThat(w.status(a)).isEqualTo("published");
    assertThat(w.status(b)).isEqualTo("published");
    assertThat(node.cycle().run(100, o -> {}).processed()).isZero();
  }

  @Test
  void an_operator_retry_of_a_failed_post_reconciles_before_sending() {
    PublishingModule node = w.node("node-a");
    UUID profile = w.profile("John Backus");
    UUID account = w.account(profile, "acc-jb", "ACoJB");
    w.sandbox.failOnce("Retry me", Fault.DISCONNECTED);
    UUID post = w.scheduledPost(profile, account, "Retry me", w.clock.instant());
    Await.until("failed", () -> w.status(post).equals("failed"));

    // the account is reconnected, and (as in postiz #1681) the post in fact exists already
    w.sandbox.account("acc-jb", "ACoJB");
    w.rows.update("UPDATE unipile_accounts SET status = 'connected' WHERE id = ?", account);
    new dev.tributary.connectors.unipile.UnipileClient(
            dev.tributary.connectors.unipile.UnipileClientConfig.of(
                w.sandbox.baseUrl(), PublishingWorld.KEY))
        .createPost(dev.tributary.connectors.unipile.PostDraft.of("acc-jb", "Retry me"));

    assertThat(
            node.operations()
                .retry(PostRef.of(Source.SCHEDULED_POST, post), w.engines.get(0).jobs()))
        .isTrue();
    Await.until(
        "the retry waits to check",
        () ->
            "unknown".equals(lastAttempt(post))
                && w.rows.count(
                        "SELECT count(*) FROM tributary.jobs WHERE state = 'available' AND args->>'id' = ?::text",
                        post.toString())
                    == 1);
    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until("published", () -> w.status(post).equals("published"));
    assertThat(w.sandbox.createdWithText("Retry me")).isEqualTo(1);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM publishing_attempts WHERE source_id = ? AND reconciled AND state = 'created'",
                post))
        .isEqualTo(1);
  }

  private String lastAttempt(UUID post) {
    return w.rows.text(
        "SELECT coalesce((SELECT state FROM publishing_attempts WHERE source_id = ?"
            + " ORDER BY started_at DESC LIMIT 1), 'none')",
        post);
  }

  private java.util.List<String> jobStates(UUID post) {
    return w.rows.<String>column(
        "SELECT state || '@' || to_char(run_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
            + " FROM tributary.jobs WHERE args->>'id' = ?::text ORDER BY id",
        post.toString());
  }
}
