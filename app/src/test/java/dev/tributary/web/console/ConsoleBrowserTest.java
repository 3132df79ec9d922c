package dev.tributary.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.tributary.config.TributaryConfig;
import dev.tributary.db.Migrations;
import dev.tributary.engine.testing.Await;
import dev.tributary.engine.testing.TestPostgres;
import dev.tributary.jdbc.Jdbc;
import dev.tributary.jdbc.Params;
import dev.tributary.node.TributaryNode;
import dev.tributary.web.Hs256Token;
import dev.tributary.web.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The operator console in a real browser: Debian's headless Chromium driven through its
 * chromedriver against a serving node on a seeded database. Skipped, with the reason, only where no
 * Chromium is installed (.ci/run installs it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final String SERVICE_KEY = "console-service-key-0123456789";
  static final String JWT_SECRET = "console-jwt-secret-0123456789";
  static final UUID VIEWER = UUID.randomUUID();
  static final String DEAD_VENDOR = "http://127.0.0.1:9";

  HikariDataSource db;
  Jdbc jdbc;
  TributaryNode node;
  ChromeDriver browser;
  Path profileDir;
  String base;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "no Chromium here: install Debian's chromium and chromium-driver (.ci/run does)");
    db = TestPostgres.freshDatabase(Migrations.LOCATIONS);
    jdbc = new Jdbc(db);
    seed();
    node =
        TributaryNode.start(
            TributaryConfig.from(
                Map.of(
                    "SERVICE_ROLE_KEY",
                    SERVICE_KEY,
                    "JWT_SECRET",
                    JWT_SECRET,
                    // publishing and profile sync on, against a port where nothing listens: the
                    // console's retry and trigger only enqueue; nothing here may reach a vendor
                    "UNIPILE_API_KEY",
                    "console-unipile-key",
                    "UNIPILE_BASE_URL",
                    DEAD_VENDOR,
                    "RAPIDAPI_KEY",
                    "console-rapidapi-key",
                    "LINKEDIN_API_BASE_URL",
                    DEAD_VENDOR)),
            db,
            new TributaryNode.Options("console-node", 1, 0));
    base = "http://127.0.0.1:" + node.port();
    seedAfterStart();
    profileDir = Files.createTempDirectory("console-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profileDir);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
    if (db != null) {
      db.close();
    }
    http.close();
  }

  // ---- the seeded world -----------------------------------------------------------------------

  private void seed() {
    for (int i = 0; i < 4; i++) {
      jdbc.update(
          "INSERT INTO profiles (full_name, linkedin_id, type) VALUES (:name, :lid, 'external_influencer')",
          Params.of("name", "Profile " + i, "lid", "profile-" + i));
    }
    // 60 dead jobs: more than one page, so "retry all matching" must reach past the screen
    for (int i = 0; i < 60; i++) {
      deadJob("send_mail", "mail");
    }
    deadJob("build_report", "reports");
    jdbc.update(
        "INSERT INTO tributary.jobs (kind, queue, args) VALUES ('import_catalogue', 'imports', '{}')",
        Params.NONE);
    // finished in the last hour, for the throughput chart
    jdbc.update(
        """
        INSERT INTO tributary.jobs (kind, queue, state, attempt, finished_at)
        SELECT 'send_mail', 'mail', 'completed', 1, now() - make_interval(mins => g % 50)
          FROM generate_series(1, 40) g""",
        Params.NONE);
    // the node runs no handler for these kinds: paused queues keep retried jobs where they are
    jdbc.update(
        // vectorsync too: only the console's buttons move the embedding queue in this test
        "INSERT INTO tributary.queues (name, paused) VALUES ('mail', true), ('reports', true),"
            + " ('vectorsync', true)",
        Params.NONE);
    UUID mine = zone("My zone");
    UUID other = zone("Other zone");
    jdbc.update(
        "INSERT INTO twitter_zone_members (zone_id, user_id) VALUES (:zone, :user)",
        Params.of("zone", mine, "user", VIEWER));
    tweet(mine, "101", "a tweet in my zone", "hot");
    tweet(other, "202", "a tweet elsewhere", "warm");
    seedPipelines();
  }

  /** Rows the node's start-up would touch: a schedule of our own, on a paused queue. */
  private void seedAfterStart() {
    jdbc.update(
        "INSERT INTO tributary.queues (name, paused) VALUES ('console_probe', true)"
            + " ON CONFLICT (name) DO UPDATE SET paused = true",
        Params.NONE);
    jdbc.update(
        """
        INSERT INTO tributary.schedules (name, cron, kind, queue, next_fire_at)
        VALUES ('console-probe', '0 3 * * *', 'console_probe', 'console_probe', now() + interval '1 day')""",
        Params.NONE);
  }

  /** FAQs (a registered vector source), a failing profile, import jobs, a failed post. */
  private void seedPipelines() {
    jdbc.update(
        """
        INSERT INTO faq_items (question, answer) VALUES
          ('How do I reset my password?', 'Open Settings, choose Security and click Reset password.'),
          ('Which countries do you ship to?', 'We deliver to every country in the European Union.'),
          ('Can I get a refund?', 'Refunds are accepted within 30 days of purchase.')""",
        Params.NONE);
    jdbc.update(
        """
        UPDATE profile_sync_status SET consecutive_failures = 3, last_error = 'HTTP 500 from RapidAPI',
               last_attempt_at = now(), last_scraped_at = now()
         WHERE profile_id = (SELECT id FROM profiles WHERE linkedin_id = 'profile-0')""",
        Params.NONE);
    UUID supplier =
        jdbc.queryOne(
                "INSERT INTO suppliers (name, provider) VALUES ('Console supplier', 'custom') RETURNING id",
                Params.NONE,
                rs -> (UUID) rs.getObject(1))
            .orElseThrow();
    jdbc.update(
        """
        INSERT INTO import_jobs (supplier_id, job_type, status, attempts, run_after, last_error,
                                 processed_items, failed_items, started_at, completed_at)
        VALUES (:s, 'supplier_api', 'pending', 1, now() + interval '1 hour',
                'rate limited until the window resets', 120, 2, NULL, NULL),
               (:s, 'price_update', 'completed', 1, now(), NULL, 300, 0,
                now() - interval '2 minutes', now())""",
        Params.of("s", supplier));
    jdbc.update(
        """
        INSERT INTO scheduled_posts (content, scheduled_at, status, attempts, error_message)
        VALUES ('A post that failed to go out', now() - interval '1 hour', 'failed', 1,
                'Unipile answered 500')""",
        Params.NONE);
  }

  private void deadJob(String kind, String queue) {
    jdbc.update(
        """
        INSERT INTO tributary.jobs (kind, queue, state, attempt, max_attempts, finished_at, last_error)
        VALUES (:kind, :queue, 'dead', 3, 3, now(), 'HTTP 500 from the vendor')""",
        Params.of("kind", kind, "queue", queue));
  }

  private UUID zone(String name) {
    return jdbc.queryOne(
            "INSERT INTO twitter_zones (name) VALUES (:name) RETURNING id",
            Params.of("name", name),
            rs -> (UUID) rs.getObject(1))
        .orElseThrow();
  }

  private void tweet(UUID zone, String id, String text, String tier) {
    UUID db =
        jdbc.queryOne(
                """
            INSERT INTO twitter_tweets (tweet_id, zone_id, author_username, text, like_count)
            VALUES (:id, :zone, 'someone', :text, 12) RETURNING id""",
                Params.of("id", id, "zone", zone, "text", text),
                rs -> (UUID) rs.getObject(1))
            .orElseThrow();
    jdbc.update(
        // the insert trigger may have made the row already (selective tracking): set its tier
        """
        INSERT INTO twitter_engagement_tracking (tweet_db_id, tier) VALUES (:t, :tier)
        ON CONFLICT (tweet_db_id) DO UPDATE SET tier = excluded.tier""",
        Params.of("t", db, "tier", tier));
    for (int h = 3; h >= 0; h--) {
      jdbc.update(
          """
          INSERT INTO twitter_engagement_history (tweet_id, snapshot_at, like_count, retweet_count)
          VALUES (:t, now() - make_interval(hours => :h), :likes, :h)""",
          Params.of("t", db, "h", h, "likes", 12 - 3 * h));
    }
  }

  private long count(String sql) {
    return jdbc.queryOne(sql, Params.NONE, rs -> rs.getLong(1)).orElseThrow();
  }

  // ---- browser helpers -------------------------------------------------------------------------

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private void signIn(String credential) {
    browser.get(base + "/console");
    js("sessionStorage.clear()");
    browser.navigate().refresh();
    Await.until("the sign-in form", () -> !browser.findElements(By.id("key")).isEmpty());
    // the page left behind may have called the API with the cleared credential (401s): forget it
    browser.manage().logs().get(LogType.BROWSER);
    browser.findElement(By.id("key")).sendKeys(credential);
    browser.findElement(By.cssSelector("#sign-in button[type=submit]")).click();
    Await.until("the views' menu", () -> browser.findElement(By.id("nav")).isDisplayed());
    assertThat(browser.findElement(By.id("sign-in")).isDisplayed()).isFalse();
  }

  private void open(String view) {
    browser.findElement(By.cssSelector("#nav button[data-view='" + view + "']")).click();
    Await.until(view + " to load", () -> !text("#view").contains("Loading…"));
  }

  private String text(String css) {
    return browser.findElements(By.cssSelector(css)).stream()
        .map(WebElement::getText)
        .reduce("", (a, b) -> a + "\n" + b);
  }

  /** Clicks the element once it is there; a view redrawn under the click is tried again. */
  private void click(String css) {
    Await.until(
        css + " to be clicked",
        () -> {
          try {
            browser.findElement(By.cssSelector(css)).click();
            return true;
          } catch (org.openqa.selenium.NoSuchElementException
              | org.openqa.selenium.StaleElementReferenceException e) {
            return false;
          }
        });
  }

  private JsonNode apiAsOperator(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + SERVICE_KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return WebServer.JSON.readTree(r.body());
  }

  /** Every URL the page asked for since the last call (Chromium's network log). */
  private List<String> requestedUrls() throws Exception {
    List<String> urls = new ArrayList<>();
    for (LogEntry e : browser.manage().logs().get(LogType.PERFORMANCE)) {
      JsonNode m = WebServer.JSON.readTree(e.getMessage()).path("message");
      if ("Network.requestWillBeSent".equals(m.path("method").asText())) {
        urls.add(m.path("params").path("request").path("url").asText());
      }
    }
    return urls;
  }

  private void assertOnlyLocalRequests(List<String> urls) {
    assertThat(urls).isNotEmpty();
    for (String url : urls) {
      URI u = URI.create(url);
      if (List.of("http", "https", "ws", "wss").contains(u.getScheme())) {
        assertThat(u.getHost()).as(url).isIn("127.0.0.1", "localhost");
      } else {
        // the browser's own pages and inline data: nothing goes on the network
        assertThat(u.getScheme())
            .as(url)
            .isIn("data", "about", "blob", "chrome", "chrome-untrusted");
      }
    }
  }

  // ---- the tests -----------------------------------------------------------------------------

  @Test
  void an_operator_sees_the_overview_and_steers_jobs_queues_and_workers() throws Exception {
    requestedUrls(); // start the network log afresh
    browser.manage().logs().get(LogType.BROWSER); // and the console's (another test's 503s)
    signIn(SERVICE_KEY);
    assertThat(browser.getCurrentUrl()).doesNotContain(SERVICE_KEY);
    assertThat(js("return sessionStorage.getItem('tributary.credential')")).isEqualTo(SERVICE_KEY);

    // the overview shows the database's numbers
    long due = apiAsOperator("/api/profiles/sync/stats").get("profiles_needing_sync").asLong();
    assertThat(due).isPositive();
    Await.until(
        "the overview's profiles due",
        () -> text("[data-metric=profiles_needing_sync]").strip().equals(Long.toString(due)));
    Await.until(
        "the throughput chart",
        () -> !browser.findElements(By.cssSelector("svg.chart rect")).isEmpty());
    assertThat(text("[data-card=jobs]")).contains("dead").contains("61");
    Await.until("every overview card", () -> !text("#view").contains("Loading…"));
    Path shot = Path.of("target", "console-overview.png");
    Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(shot)).isGreaterThan(10_000);

    // jobs: filter, then retry every matching job after a confirmation that says how many
    open("jobs");
    js("document.getElementById('f-state').value = 'dead'");
    browser.findElement(By.id("f-queue")).sendKeys("mail");
    click("#apply-filter");
    Await.until(
        "a page of 50 dead mail jobs",
        () -> browser.findElements(By.cssSelector("#job-list tbody tr")).size() == 50);
    click("[data-action=retry-all]");
    Await.until("the confirmation", () -> browser.findElement(By.id("confirm")).isDisplayed());
    assertThat(browser.findElement(By.id("confirm-text")).getText())
        .isEqualTo("Retry 60 jobs matching this filter?");
    click("#confirm-ok");
    Await.until("the retry's report", () -> text("#toast").contains("Retry: 60 jobs changed"));
    assertThat(
            count(
                "SELECT count(*) FROM tributary.jobs WHERE queue = 'mail' AND state = 'available'"))
        .isEqualTo(60);
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE state = 'dead'")).isEqualTo(1);

    // one dead job, retried from its row
    browser.findElement(By.id("f-queue")).clear();
    browser.findElement(By.id("f-queue")).sendKeys("reports");
    click("#apply-filter");
    Await.until(
        "the dead report job",
        () -> browser.findElements(By.cssSelector("#job-list tbody tr")).size() == 1);
    click("[data-action=retry-one]");
    Await.until(
        "the report job to be retried",
        () ->
            count(
                    "SELECT count(*) FROM tributary.jobs WHERE queue = 'reports' AND state = 'available'")
                == 1);

    // queues: pause and resume
    open("queues");
    click("[data-action=pause-imports]");
    Await.until(
        "imports to be paused",
        () ->
            count("SELECT count(*) FROM tributary.queues WHERE name = 'imports' AND paused") == 1);
    click("[data-action=resume-imports]");
    Await.until(
        "imports to run again",
        () ->
            count("SELECT count(*) FROM tributary.queues WHERE name = 'imports' AND NOT paused")
                == 1);

    // workers: a flag toggled in the seed's table
    open("workers");
    click("[data-action=flag-worker_classify_topics_v2]");
    Await.until(
        "the topics worker to be off",
        () ->
            count(
                    "SELECT count(*) FROM worker_feature_flags_v2 WHERE worker_name = 'worker_classify_topics_v2' AND NOT is_enabled")
                == 1);

    // every view opens, and none fails
    for (String view :
        List.of(
            "overview",
            "jobs",
            "queues",
            "schedules",
            "workers",
            "profiles",
            "vectors",
            "engagement",
            "suppliers",
            "publishing")) {
      open(view);
      assertThat(text("#view")).as(view).doesNotContain("TypeError");
    }
    open("engagement");
    Await.until("both zones' tweets", () -> text("#tweets").contains("a tweet elsewhere"));
    assertThat(
            browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList())
        .isEmpty();
    assertOnlyLocalRequests(requestedUrls());
  }

  @Test
  void an_operator_checks_the_vector_sync_and_searches_the_real_index() throws Exception {
    signIn(SERVICE_KEY);
    open("vectors");
    // the consistency check: three FAQ rows without an embedding (the queue is paused)
    Await.until(
        "the FAQs in the consistency check",
        () -> cell("[data-card=consistency]", "faq_items", 1).equals("3"));
    click("[data-action=resync-faq_items]");
    Await.until("the resync's report", () -> text("#toast").contains("faq_items: 3 rows queued"));
    assertThat(
            count(
                "SELECT count(DISTINCT source_id) FROM embedding_sync_queue"
                    + " WHERE source_table = 'faq_items' AND status = 'pending'"))
        .isEqualTo(3);
    click("[data-action=process-queue]");
    // the first batch loads the bundled model: allow it time
    Await.until(
        "the batch's report",
        Duration.ofSeconds(60),
        () -> text("#toast").contains(" processed, "));
    assertThat(
            count("SELECT count(*) FROM documentation_embeddings WHERE source_table = 'faq_items'"))
        .isGreaterThanOrEqualTo(3);
    Await.until(
        "the consistency check to be clean",
        () -> cell("[data-card=consistency]", "faq_items", 1).equals("0"));

    // the search box asks the index the node serves (the bundled local model embeds the query)
    browser.findElement(By.id("search-q")).sendKeys("I forgot my login credentials");
    Await.until(
        "the FAQ to be found",
        Duration.ofSeconds(30),
        () -> {
          if (!text("#search-results").contains("How do I reset my password?")) {
            click("#search-go");
            return false;
          }
          return true;
        });
    List<WebElement> first =
        browser.findElements(By.cssSelector("#search-results tbody tr:first-child td"));
    assertThat(first.get(1).getText()).startsWith("How do I reset my password?");
    assertThat(first.get(0).getText()).matches("0\\.\\d{3}|1\\.000");
    assertThat(text("#search-results")).contains("documentation_embeddings");
  }

  @Test
  void an_operator_retries_a_post_reads_import_jobs_and_refreshes_a_tweet() throws Exception {
    requestedUrls();
    signIn(SERVICE_KEY);
    open("suppliers");
    Await.until(
        "the rate-limited import job",
        () -> text("#import-jobs").contains("waiting") && text("#import-jobs").contains("120"));
    assertThat(text("[data-card=import-stats]")).contains("completed").contains("pending");

    open("publishing");
    Await.until(
        "the failed post",
        () -> text("[data-card=publishing-failed]").contains("A post that failed to go out"));
    assertThat(text("[data-card=publishing-status]")).contains("failed");
    String post =
        jdbc.queryOne(
                "SELECT id::text FROM scheduled_posts WHERE status = 'failed'",
                Params.NONE,
                rs -> rs.getString(1))
            .orElseThrow();
    click("[data-card=publishing-failed] [data-action=retry-post]");
    Await.until("the retry's report", () -> text("#toast").contains("Publishing scheduled_post"));
    assertThat(
            count(
                "SELECT count(*) FROM tributary.jobs WHERE kind = 'publishing.publish' AND args->>'id' = '"
                    + post
                    + "'"))
        .isEqualTo(1);

    open("engagement");
    browser.findElement(By.xpath("//td[contains(., 'a tweet in my zone')]")).click();
    click("#curve button.refresh");
    Await.until("the refresh's answer", () -> text("#toast").contains("Refresh"));
    assertThat(requestedUrls()).anyMatch(u -> u.contains("/refresh?force=true"));
  }

  @Test
  void an_operator_steers_profiles_schedules_rate_limits_and_pages_through_jobs() throws Exception {
    signIn(SERVICE_KEY);
    open("profiles");
    Await.until("the failing profile", () -> text("#view").contains("HTTP 500 from RapidAPI"));
    click("[data-action=resync-profile]");
    Await.until(
        "the profile to be due again",
        () ->
            count(
                    "SELECT count(*) FROM profile_sync_status s JOIN profiles p ON p.id = s.profile_id"
                        + " WHERE p.linkedin_id = 'profile-0' AND s.last_scraped_at IS NULL")
                == 1);
    click("[data-action=reset-profile]");
    Await.until(
        "the profile's failures to be cleared",
        () ->
            count(
                    "SELECT count(*) FROM profile_sync_status s JOIN profiles p ON p.id = s.profile_id"
                        + " WHERE p.linkedin_id = 'profile-0' AND s.consecutive_failures = 0"
                        + " AND s.last_error IS NULL")
                == 1);
    click("[data-action=trigger-sync]");
    Await.until("the sync's report", () -> text("#toast").contains("Sync job"));
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE kind = 'profile_sync'"))
        .isPositive();

    open("schedules");
    click("[data-action=toggle-console-probe]");
    Await.until(
        "the schedule to be off",
        () ->
            count(
                    "SELECT count(*) FROM tributary.schedules WHERE name = 'console-probe' AND NOT enabled")
                == 1);
    Await.until(
        "the Enable button", () -> text("[data-action=toggle-console-probe]").contains("Enable"));
    click("[data-action=toggle-console-probe]");
    Await.until(
        "the schedule to be on",
        () ->
            count(
                    "SELECT count(*) FROM tributary.schedules WHERE name = 'console-probe' AND enabled")
                == 1);
    click("[data-action=run-console-probe]");
    Await.until("the run's report", () -> text("#toast").contains("console-probe: job"));
    assertThat(count("SELECT count(*) FROM tributary.jobs WHERE kind = 'console_probe'"))
        .isEqualTo(1);

    open("queues");
    browser.findElement(By.name("rate-limit-mail")).sendKeys("5");
    browser.findElement(By.name("rate-secs-mail")).sendKeys("60");
    click("[data-action=rate-mail]");
    Await.until(
        "mail's rate limit",
        () ->
            count(
                    "SELECT count(*) FROM tributary.queues WHERE name = 'mail'"
                        + " AND rate_limit = 5 AND rate_interval_ms = 60000")
                == 1);
    Await.until("the limit on the page", () -> text("#view").contains("5 per 60 s"));
    click("[data-action=clear-rate-mail]");
    Await.until(
        "mail without a limit",
        () ->
            count(
                    "SELECT count(*) FROM tributary.queues WHERE name = 'mail' AND rate_limit IS NULL")
                == 1);

    // the jobs pager: pages of 50, keyset on the server
    open("jobs");
    Await.until(
        "a full page",
        () -> browser.findElements(By.cssSelector("#job-list tbody tr")).size() == 50);
    long newest = firstJobId();
    click("#page-older");
    Await.until("the older page", () -> firstJobId() > 0 && firstJobId() < newest - 49);
    click("#page-newer");
    Await.until("the newest page again", () -> firstJobId() >= newest);
  }

  @Test
  void the_console_fits_a_phone_width() {
    signIn(SERVICE_KEY);
    browser.executeCdpCommand(
        "Emulation.setDeviceMetricsOverride",
        Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
    try {
      for (String view : List.of("overview", "jobs", "queues", "schedules", "publishing")) {
        open(view);
        Await.until(view + "'s cards", () -> !text("#view").contains("Loading…"));
        assertThat(js("return window.innerWidth")).as(view).isEqualTo(390L);
        assertThat(
                (Long)
                    js(
                        "const m = document.getElementById('main');"
                            + " return Math.max(document.documentElement.scrollWidth,"
                            + " m.scrollWidth - m.clientWidth + window.innerWidth)"))
            .as(view + ": nothing wider than the screen")
            .isLessThanOrEqualTo(390L);
      }
    } finally {
      browser.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  private long firstJobId() {
    try {
      List<WebElement> cells =
          browser.findElements(By.cssSelector("#job-list tbody tr:first-child td:first-child"));
      return cells.isEmpty() ? -1 : Long.parseLong(cells.get(0).getText().strip());
    } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
      return -1;
    }
  }

  /** The text of column {@code col} in the row of {@code card}'s table whose first cell is key. */
  private String cell(String card, String key, int col) {
    for (WebElement tr : browser.findElements(By.cssSelector(card + " tbody tr"))) {
      List<WebElement> tds = tr.findElements(By.tagName("td"));
      if (!tds.isEmpty() && tds.get(0).getText().strip().equals(key)) {
        return tds.get(col).getText().strip();
      }
    }
    return "";
  }

  @Test
  void a_signed_in_user_sees_their_zones_tweets_and_no_action_button() throws Exception {
    requestedUrls();
    long exp = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
    String token = Hs256Token.sign("{\"sub\":\"" + VIEWER + "\",\"exp\":" + exp + "}", JWT_SECRET);
    signIn(token);

    assertThat(text("#mode")).contains("read-only");
    assertThat(browser.findElements(By.cssSelector("#nav button")))
        .extracting(WebElement::getText)
        .containsExactly("Engagement");
    Await.until("the user's tweets", () -> text("#tweets").contains("a tweet in my zone"));
    assertThat(text("#view")).doesNotContain("a tweet elsewhere");
    browser.findElement(By.xpath("//td[contains(., 'a tweet in my zone')]")).click();
    Await.until(
        "the engagement curve",
        () -> !browser.findElements(By.cssSelector("#curve svg path.line")).isEmpty());

    assertThat(browser.findElements(By.cssSelector("[data-action]"))).isEmpty();
    assertThat(browser.findElements(By.tagName("button")))
        .extracting(WebElement::getText)
        .noneMatch(
            t ->
                t.matches(
                    "(?i).*(retry|cancel|delete|pause|resume|enable|disable|run now|reset|resync|trigger).*"));
    // the API refuses the user what the page hides
    HttpResponse<String> jobs =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/jobs"))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(jobs.statusCode()).isEqualTo(403);
    assertOnlyLocalRequests(requestedUrls());
  }
}
