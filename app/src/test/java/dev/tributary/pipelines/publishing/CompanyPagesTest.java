package dev.tributary.pipelines.publishing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.engine.testing.Await;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CompanyPagesTest {
  final PublishingWorld w = new PublishingWorld();

  @AfterEach
  void close() {
    w.close();
  }

  UUID page(String name, String accountId, String companyId) {
    w.sandbox.account(accountId, "ACo" + accountId);
    UUID account =
        w.rows.value(
            "INSERT INTO unipile_accounts (account_id, status) VALUES (?, 'connected') RETURNING id",
            accountId);
    return w.rows.value(
        "INSERT INTO company_pages (unipile_account_id, name, linkedin_company_id) VALUES (?, ?, ?) RETURNING id",
        account,
        name,
        companyId);
  }

  void rule(UUID page, UUID profile, int delayMinutes, boolean includeMedia, String prefix) {
    w.rows.update(
        "INSERT INTO company_auto_post_rules (company_page_id, profile_id, delay_minutes, include_media, content_prefix)"
            + " VALUES (?, ?, ?, ?, ?)",
        page,
        profile,
        delayMinutes,
        includeMedia,
        prefix);
  }

  String companyStatus(UUID page) {
    return w.rows.text(
        "SELECT coalesce((SELECT status FROM company_published_posts WHERE company_page_id = ?), 'none')",
        page);
  }

  @Test
  void a_rule_without_delay_reposts_at_once_with_its_prefix_and_one_with_a_delay_when_due() {
    w.node("node-a");
    UUID profile = w.profile("Sophie Wilson");
    UUID account = w.account(profile, "acc-sw", "ACoSW");
    UUID now = page("Acorn", "acc-acorn", "1001");
    UUID later = page("ARM", "acc-arm", "2002");
    rule(now, profile, 0, false, "From our founder:");
    rule(later, profile, 30, true, null);
    String image = w.sandbox.media("chip.png", new byte[] {9, 9, 9});
    UUID post =
        w.scheduledPost(
            profile,
            account,
            "A new instruction set",
            w.clock.instant(),
            "[{\"url\":\"" + image + "\",\"type\":\"image\",\"name\":\"chip.png\"}]");

    Await.until(
        "the profile post and the immediate repost are published",
        () -> w.status(post).equals("published") && companyStatus(now).equals("published"));
    assertThat(w.sandbox.createdWithText("From our founder:\n\nA new instruction set"))
        .isEqualTo(1);
    assertThat(w.sandbox.posts())
        .filteredOn(p -> p.author().equals("1001"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.byCompany()).isTrue();
              assertThat(p.attachments()).as("include_media false").isZero();
            });
    assertThat(companyStatus(later)).isEqualTo("pending");

    w.clock.advance(Duration.ofMinutes(29));
    assertThat(companyStatus(later)).isEqualTo("pending");
    w.clock.advance(Duration.ofMinutes(2));
    Await.until("the delayed repost is published", () -> companyStatus(later).equals("published"));
    assertThat(w.sandbox.posts())
        .filteredOn(p -> p.author().equals("2002"))
        .singleElement()
        .satisfies(p -> assertThat(p.attachments()).isEqualTo(1));
    assertThat(w.sandbox.createdWithText("A new instruction set"))
        .as("profile + ARM page")
        .isEqualTo(2);
    assertThat(w.rows.count("SELECT count(*) FROM company_published_posts")).isEqualTo(2);
  }

  @Test
  void a_failed_company_repost_leaves_the_profile_post_published_and_a_retry_touches_only_it() {
    PublishingModule node = w.node("node-a");
    UUID profile = w.profile("Steve Furber");
    UUID account = w.account(profile, "acc-sf", "ACoSF");
    UUID page = page("BBC Micro", "acc-bbc", "3003");
    rule(page, profile, 0, true, null);
    w.sandbox.disconnect("acc-bbc");
    UUID post = w.scheduledPost(profile, account, "Partially published", w.clock.instant());

    Await.until("the repost failed", () -> companyStatus(page).equals("failed"));
    assertThat(w.status(post)).isEqualTo("published");
    assertThat(node.operations().status().partiallyPublished()).isEqualTo(1);

    w.sandbox.account("acc-bbc", "ACoacc-bbc");
    w.rows.update("UPDATE unipile_accounts SET status = 'connected' WHERE account_id = 'acc-bbc'");
    UUID companyPost =
        w.rows.value("SELECT id FROM company_published_posts WHERE company_page_id = ?", page);
    assertThat(
            node.operations()
                .retry(PostRef.of(Source.COMPANY_POST, companyPost), w.engines.get(0).jobs()))
        .isTrue();
    Await.until(
        "the retry waits for its check",
        () -> w.rows.count("SELECT count(*) FROM tributary.jobs WHERE state = 'available'") == 1);
    w.clock.advance(w.checkAfter().plusSeconds(1));
    Await.until("the repost is published", () -> companyStatus(page).equals("published"));

    assertThat(w.sandbox.createdWithText("Partially published"))
        .as("profile once, page once")
        .isEqualTo(2);
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM publishing_attempts WHERE source = 'scheduled_post'"))
        .isEqualTo(1);
  }

  @Test
  void a_production_post_is_published_from_its_authors_account() {
    w.node("node-a");
    UUID profile = w.profile("Frances Allen");
    w.account(profile, "acc-fa", "ACoFA");
    UUID p =
        w.rows.value(
            "INSERT INTO production_posts (author_id, content, status, publication_date) VALUES (?, ?, 'scheduled', ?) RETURNING id",
            profile,
            "Compilers, generated",
            java.sql.Timestamp.from(w.clock.instant()));
    Await.until(
        "published",
        () ->
            w.rows.text("SELECT status FROM production_posts WHERE id = ?", p).equals("published"));
    assertThat(
            w.rows.count(
                "SELECT count(*) FROM published_posts WHERE production_post_id = ? AND source = 'production_post'",
                p))
        .isEqualTo(1);
    assertThat(w.sandbox.createdWithText("Compilers, generated")).isEqualTo(1);
  }
}
