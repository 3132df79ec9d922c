package dev.tributary.config;

import java.util.List;
import java.util.Map;

/**
 * The bounds on what callers and vendors can make a node do: request bodies, requests at once, the
 * time of a request's queries, uploaded PDFs and vendors' answers. Every bound is a setting with a
 * default that suits one node with the local model.
 *
 * @param maxRequestBytes largest request body, however it is sent (Content-Length, chunked or
 *     multipart); larger ones get 413
 * @param maxConcurrentRequests requests handled at once; past it 503 with {@code Retry-After}
 * @param webStatementTimeoutMs {@code statement_timeout} of request-driven queries (their own pool)
 * @param webDbPoolSize connections of that pool, apart from the engine's and the jobs' pool
 * @param pdfMaxBytes largest PDF upload
 * @param pdfMaxPages most pages of a PDF upload
 * @param pdfMaxDecodedBytes most bytes a PDF's streams may decompress to (a zip bomb stops there)
 * @param vendorMaxResponseBytes largest answer read from a vendor (OpenAI, RapidAPI)
 */
public record LimitsSettings(
    long maxRequestBytes,
    int maxConcurrentRequests,
    int webStatementTimeoutMs,
    int webDbPoolSize,
    long pdfMaxBytes,
    int pdfMaxPages,
    long pdfMaxDecodedBytes,
    long vendorMaxResponseBytes) {

  public static final int MIB = 1024 * 1024;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 32 * MIB;
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 64;
  public static final int DEFAULT_WEB_STATEMENT_TIMEOUT_MS = 15_000;
  public static final int DEFAULT_WEB_DB_POOL_SIZE = 8;
  public static final int DEFAULT_PDF_MAX_BYTES = 25 * MIB;
  public static final int DEFAULT_PDF_MAX_PAGES = 500;
  public static final int DEFAULT_PDF_MAX_DECODED_BYTES = 64 * MIB;
  public static final int DEFAULT_VENDOR_MAX_RESPONSE_BYTES = 8 * MIB;

  public static final Variable TRIBUTARY_MAX_REQUEST_BYTES =
      Variable.withDefault(
          "TRIBUTARY_MAX_REQUEST_BYTES",
          DEFAULT_MAX_REQUEST_BYTES,
          "largest request body in bytes, chunked and multipart included; larger ones get 413");
  public static final Variable TRIBUTARY_MAX_CONCURRENT_REQUESTS =
      Variable.withDefault(
          "TRIBUTARY_MAX_CONCURRENT_REQUESTS",
          DEFAULT_MAX_CONCURRENT_REQUESTS,
          "HTTP requests handled at once by one node; past it 503 with Retry-After");
  public static final Variable TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS =
      Variable.withDefault(
          "TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS",
          DEFAULT_WEB_STATEMENT_TIMEOUT_MS,
          "statement_timeout of the queries HTTP requests run (their own pool)");
  public static final Variable TRIBUTARY_WEB_DB_POOL_SIZE =
      Variable.withDefault(
          "TRIBUTARY_WEB_DB_POOL_SIZE",
          DEFAULT_WEB_DB_POOL_SIZE,
          "connections of the HTTP requests' pool, apart from the engine's pool");
  public static final Variable TRIBUTARY_PDF_MAX_BYTES =
      Variable.withDefault(
          "TRIBUTARY_PDF_MAX_BYTES", DEFAULT_PDF_MAX_BYTES, "largest PDF upload in bytes");
  public static final Variable TRIBUTARY_PDF_MAX_PAGES =
      Variable.withDefault(
          "TRIBUTARY_PDF_MAX_PAGES", DEFAULT_PDF_MAX_PAGES, "most pages of a PDF upload");
  public static final Variable TRIBUTARY_PDF_MAX_DECODED_BYTES =
      Variable.withDefault(
          "TRIBUTARY_PDF_MAX_DECODED_BYTES",
          DEFAULT_PDF_MAX_DECODED_BYTES,
          "most bytes the streams of one PDF may decompress to");
  public static final Variable TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES =
      Variable.withDefault(
          "TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES",
          DEFAULT_VENDOR_MAX_RESPONSE_BYTES,
          "largest answer in bytes read from a vendor (OpenAI, RapidAPI)");

  public static final List<Variable> VARIABLES =
      List.of(
          TRIBUTARY_MAX_REQUEST_BYTES,
          TRIBUTARY_MAX_CONCURRENT_REQUESTS,
          TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS,
          TRIBUTARY_WEB_DB_POOL_SIZE,
          TRIBUTARY_PDF_MAX_BYTES,
          TRIBUTARY_PDF_MAX_PAGES,
          TRIBUTARY_PDF_MAX_DECODED_BYTES,
          TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES);

  /** Every default (after the variables: it reads them). */
  public static final LimitsSettings DEFAULTS = parse(Map.of());

  public static LimitsSettings parse(Map<String, String> env) {
    int max = Integer.MAX_VALUE;
    return new LimitsSettings(
        TRIBUTARY_MAX_REQUEST_BYTES.integer(env, DEFAULT_MAX_REQUEST_BYTES, 1024, max),
        TRIBUTARY_MAX_CONCURRENT_REQUESTS.integer(env, DEFAULT_MAX_CONCURRENT_REQUESTS, 1, 100_000),
        TRIBUTARY_WEB_STATEMENT_TIMEOUT_MS.integer(
            env, DEFAULT_WEB_STATEMENT_TIMEOUT_MS, 1, 86_400_000),
        TRIBUTARY_WEB_DB_POOL_SIZE.integer(
            env, DEFAULT_WEB_DB_POOL_SIZE, 1, CoreSettings.MAX_DB_POOL_SIZE),
        TRIBUTARY_PDF_MAX_BYTES.integer(env, DEFAULT_PDF_MAX_BYTES, 1024, max),
        TRIBUTARY_PDF_MAX_PAGES.integer(env, DEFAULT_PDF_MAX_PAGES, 1, 1_000_000),
        TRIBUTARY_PDF_MAX_DECODED_BYTES.integer(env, DEFAULT_PDF_MAX_DECODED_BYTES, 1024, max),
        TRIBUTARY_VENDOR_MAX_RESPONSE_BYTES.integer(
            env, DEFAULT_VENDOR_MAX_RESPONSE_BYTES, 1024, max));
  }
}
