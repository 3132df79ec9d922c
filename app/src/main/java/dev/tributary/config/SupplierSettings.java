package dev.tributary.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Supplier sync (S2). Each connector is on when its key is set; a supplier whose connector is off
 * gets its jobs failed with a message naming the variable, and the node still starts.
 */
public record SupplierSettings(
    Optional<String> bigbuyApiKey,
    String bigbuyBaseUrl,
    int bigbuyPageSize,
    Optional<String> aliexpressApiKey,
    Optional<String> aliexpressApiSecret,
    String aliexpressBaseUrl,
    String aliexpressSignMethod,
    Optional<String> webhookSecret,
    String syncCron,
    int concurrency) {

  public static final String DEFAULT_BIGBUY_BASE_URL = "https://api.bigbuy.eu";
  public static final int DEFAULT_BIGBUY_PAGE_SIZE = 1000;
  public static final String DEFAULT_ALIEXPRESS_BASE_URL = "https://api-sg.aliexpress.com";
  public static final String DEFAULT_SIGN_METHOD = "SHA256";
  public static final String DEFAULT_SYNC_CRON = "0 * * * *";
  public static final int DEFAULT_CONCURRENCY = 2;

  public static final Variable BIGBUY_API_KEY =
      Variable.optional("BIGBUY_API_KEY", "BigBuy suppliers are off", "BigBuy API key (bearer)");
  public static final Variable BIGBUY_BASE_URL =
      Variable.withDefault("BIGBUY_BASE_URL", DEFAULT_BIGBUY_BASE_URL, "BigBuy API base URL");
  public static final Variable BIGBUY_PAGE_SIZE =
      Variable.withDefault(
          "BIGBUY_PAGE_SIZE", DEFAULT_BIGBUY_PAGE_SIZE, "items per BigBuy catalogue page");
  public static final Variable ALIEXPRESS_API_KEY =
      Variable.optional(
          "ALIEXPRESS_API_KEY", "AliExpress suppliers are off", "AliExpress Open Platform app key");
  public static final Variable ALIEXPRESS_API_SECRET =
      Variable.optional(
          "ALIEXPRESS_API_SECRET", null, "AliExpress app secret (signs every gateway call)");
  public static final Variable ALIEXPRESS_BASE_URL =
      Variable.withDefault(
          "ALIEXPRESS_BASE_URL", DEFAULT_ALIEXPRESS_BASE_URL, "AliExpress gateway base URL");
  public static final Variable ALIEXPRESS_SIGN_METHOD =
      Variable.withDefault(
          "ALIEXPRESS_SIGN_METHOD", "sha256", "AliExpress gateway signature, md5 or sha256");
  public static final Variable SUPPLIER_WEBHOOK_SECRET =
      Variable.optional(
          "SUPPLIER_WEBHOOK_SECRET",
          "end-of-sync webhooks are not sent",
          "HMAC-SHA256 key of the end-of-sync webhook");
  public static final Variable SUPPLIER_SYNC_CRON =
      Variable.withDefault(
          "SUPPLIER_SYNC_CRON", DEFAULT_SYNC_CRON, "supplier sync catch-up cycle (S2.5), UTC");
  public static final Variable SUPPLIER_SYNC_CONCURRENCY =
      Variable.withDefault(
          "SUPPLIER_SYNC_CONCURRENCY",
          DEFAULT_CONCURRENCY,
          "import jobs running at once on a node");

  public static final List<Variable> VARIABLES =
      List.of(
          BIGBUY_API_KEY,
          BIGBUY_BASE_URL,
          BIGBUY_PAGE_SIZE,
          ALIEXPRESS_API_KEY,
          ALIEXPRESS_API_SECRET,
          ALIEXPRESS_BASE_URL,
          ALIEXPRESS_SIGN_METHOD,
          SUPPLIER_WEBHOOK_SECRET,
          SUPPLIER_SYNC_CRON,
          SUPPLIER_SYNC_CONCURRENCY);

  public static SupplierSettings parse(Map<String, String> env) {
    Optional<String> aliKey = ALIEXPRESS_API_KEY.read(env);
    Optional<String> aliSecret = ALIEXPRESS_API_SECRET.read(env);
    if (aliKey.isPresent() && aliSecret.isEmpty()) {
      throw ALIEXPRESS_API_SECRET.missing("The AliExpress connector (ALIEXPRESS_API_KEY is set)");
    }
    return new SupplierSettings(
        BIGBUY_API_KEY.read(env),
        BIGBUY_BASE_URL.httpUrl(env, DEFAULT_BIGBUY_BASE_URL),
        BIGBUY_PAGE_SIZE.integer(env, DEFAULT_BIGBUY_PAGE_SIZE, 1, 10_000),
        aliKey,
        aliSecret,
        ALIEXPRESS_BASE_URL.httpUrl(env, DEFAULT_ALIEXPRESS_BASE_URL),
        ALIEXPRESS_SIGN_METHOD
            .choice(env, Set.of("MD5", "SHA256"))
            .orElse(DEFAULT_SIGN_METHOD)
            .toLowerCase(java.util.Locale.ROOT),
        SUPPLIER_WEBHOOK_SECRET.read(env),
        SUPPLIER_SYNC_CRON.cron(env, DEFAULT_SYNC_CRON),
        SUPPLIER_SYNC_CONCURRENCY.integer(env, DEFAULT_CONCURRENCY, 1, 100));
  }

  /** These settings with BigBuy pointed at {@code baseUrl} (the demo's local sandbox). */
  public SupplierSettings withBigBuy(String apiKey, String baseUrl) {
    return new SupplierSettings(
        Optional.of(apiKey),
        baseUrl,
        bigbuyPageSize,
        aliexpressApiKey,
        aliexpressApiSecret,
        aliexpressBaseUrl,
        aliexpressSignMethod,
        webhookSecret,
        syncCron,
        concurrency);
  }

  @Override
  public String toString() {
    return "SupplierSettings[bigbuyBaseUrl="
        + bigbuyBaseUrl
        + ", aliexpressBaseUrl="
        + aliexpressBaseUrl
        + ", signMethod="
        + aliexpressSignMethod
        + ", syncCron="
        + syncCron
        + ", keys=***]";
  }
}
