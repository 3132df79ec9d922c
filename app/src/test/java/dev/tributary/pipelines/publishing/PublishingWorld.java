package dev.tributary.pipelines.publishing;

import dev.tributary.config.PublishingSettings;
import dev.tributary.engine.Engine;
import dev.tributary.engine.EngineBuilder;
import dev.tributary.engine.QueueConfig;
import dev.tributary.engine.testing.SettableClock;
import dev.tributary.engine.testing.TestEngines;
import dev.tributary.sandbox.UnipileSandbox;
import dev.tributary.testing.Rows;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A migrated database, a Unipile sandbox, a settable clock and engines running the publishing jobs:
 * the fixture of the publishing tests.
 */
public final class PublishingWorld implements AutoCloseable {
  public static final String KEY = "unipile-key-for-tests-0123456789";
  public static final Duration TIMEOUT = Duration.ofSeconds(3);
  public static final Duration SETTLE = Duration.ofSeconds(20);

  public final Rows rows = Rows.fresh();
  public final SettableClock clock = new SettableClock(Instant.parse("2026-03-02T09:00:00Z"));
  public final UnipileSandbox sandbox = UnipileSandbox.start(KEY, clock);
  public final PublishingSettings settings =
      new PublishingSettings(
          Optional.of(KEY),
          Optional.of(sandbox.baseUrl()),
          TIMEOUT,
          SETTLE,
          1024 * 1024,
          4,
          PublishingSettings.DEFAULT_CYCLE_CRON);
  public final List<Engine> engines = new ArrayList<>();
  public final List<PublishingModule> modules = new ArrayList<>();

  /** Starts one more engine ("node") with the publishing jobs, without the cron schedule. */
  public PublishingModule node(String name) {
    PublishingModule module = PublishingModule.create(settings, rows.dataSource(), clock, name);
    EngineBuilder b =
        TestEngines.builder(rows.dataSource(), clock, name)
            .queue(QueueConfig.of(PublishingJobs.QUEUE, 4));
    module.register(b);
    Engine engine = b.build();
    module.jobs().jobs(engine.jobs());
    engine.start();
    engines.add(engine);
    modules.add(module);
    return module;
  }

  public Duration checkAfter() {
    return PublishingModule.checkAfter(settings);
  }

  public UUID profile(String name) {
    return rows.profile(name, name.toLowerCase().replace(' ', '-'), "internal");
  }

  public UUID account(UUID profileId, String accountId, String providerId) {
    sandbox.account(accountId, providerId);
    return rows.value(
        "INSERT INTO unipile_accounts (profile_id, account_id, status) VALUES (?, ?, 'connected')"
            + " RETURNING id",
        profileId,
        accountId);
  }

  public UUID scheduledPost(UUID profileId, UUID accountUuid, String text, Instant at) {
    return scheduledPost(profileId, accountUuid, text, at, "[]");
  }

  public UUID scheduledPost(
      UUID profileId, UUID accountUuid, String text, Instant at, String media) {
    return rows.value(
        "INSERT INTO scheduled_posts (profile_id, unipile_account_id, content, scheduled_at, media)"
            + " VALUES (?, ?, ?, ?, ?::jsonb) RETURNING id",
        profileId,
        accountUuid,
        text,
        Timestamp.from(at),
        media);
  }

  public String status(UUID scheduledPostId) {
    return rows.text("SELECT status FROM scheduled_posts WHERE id = ?", scheduledPostId);
  }

  @Override
  public void close() {
    engines.forEach(Engine::close);
    sandbox.close();
    rows.close();
  }
}
