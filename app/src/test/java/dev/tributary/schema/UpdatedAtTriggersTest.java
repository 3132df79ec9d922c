package dev.tributary.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.testing.Rows;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The seed's updated_at triggers (S1.5, thirteen with update_unipile_accounts_updated_at, tested in
 * AccountsAndErrorsTest).
 */
class UpdatedAtTriggersTest {

  @ParameterizedTest(name = "{0} by {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      audiences               | set_audiences_updated_at              | INSERT INTO audiences (name, updated_at) VALUES ('x', '2000-01-01') RETURNING id                                  | UPDATE audiences SET description = 'd' WHERE id = ?
      comment_patterns        | update_comment_patterns_updated_at    | INSERT INTO comment_patterns (pattern, updated_at) VALUES ('p', '2000-01-01') RETURNING id                         | UPDATE comment_patterns SET name = 'n' WHERE id = ?
      company_pages           | update_company_pages_updated_at       | INSERT INTO company_pages (name, updated_at) VALUES ('Acme', '2000-01-01') RETURNING id                            | UPDATE company_pages SET logo_url = 'l' WHERE id = ?
      company_auto_post_rules | update_auto_post_rules_updated_at     | INSERT INTO company_auto_post_rules (company_page_id, profile_id, updated_at) VALUES ((SELECT id FROM company_pages), (SELECT id FROM profiles), '2000-01-01') RETURNING id | UPDATE company_auto_post_rules SET delay_minutes = 5 WHERE id = ?
      engagement_settings     | update_engagement_settings_updated_at | INSERT INTO engagement_settings (profile_id, updated_at) VALUES ((SELECT id FROM profiles), '2000-01-01') RETURNING id | UPDATE engagement_settings SET daily_like_limit = 1 WHERE id = ?
      knowledge               | set_knowledge_updated_at              | INSERT INTO knowledge (title, content, updated_at) VALUES ('t', 'c', '2000-01-01') RETURNING id                    | UPDATE knowledge SET category = 'c' WHERE id = ?
      post_batches            | set_post_batches_updated_at           | INSERT INTO post_batches (name, updated_at) VALUES ('b', '2000-01-01') RETURNING id                                | UPDATE post_batches SET name = 'c' WHERE id = ?
      ressource_types         | set_ressource_types_updated_at        | INSERT INTO ressource_types (name, updated_at) VALUES ('guide', '2000-01-01') RETURNING id                         | UPDATE ressource_types SET icon = 'i' WHERE id = ?
      ressources              | set_ressources_updated_at             | INSERT INTO ressources (title, updated_at) VALUES ('r', '2000-01-01') RETURNING id                                 | UPDATE ressources SET url = 'u' WHERE id = ?
      scheduled_posts         | update_scheduled_posts_updated_at     | INSERT INTO scheduled_posts (content, scheduled_at, updated_at) VALUES ('c', now(), '2000-01-01') RETURNING id     | UPDATE scheduled_posts SET status = 'cancelled' WHERE id = ?
      user_onboarding         | user_onboarding_updated_at            | INSERT INTO user_onboarding (user_id, updated_at) VALUES (gen_random_uuid(), '2000-01-01') RETURNING id            | UPDATE user_onboarding SET current_step = 'profile' WHERE id = ?
      """)
  void an_update_moves_updated_at(String table, String trigger, String insert, String update) {
    try (Rows db = Rows.fresh()) {
      db.profile("Owner", "owner", "internal");
      db.update("INSERT INTO company_pages (name) VALUES ('Parent page')");
      UUID id = db.value(insert);
      db.update(update, id);
      assertThat(
              (Boolean)
                  db.value(
                      "SELECT updated_at > now() - interval '1 hour' FROM "
                          + table
                          + " WHERE id = ?",
                      id))
          .as("%s keeps %s.updated_at", trigger, table)
          .isTrue();
    }
  }
}
