package dev.tributary.web;

import io.javalin.security.RouteRole;

/**
 * Who may call a route. Every route declares its roles when it is added; {@link Access} checks them
 * before the handler runs, so a handler never looks at a credential itself.
 */
public enum Role implements RouteRole {
  /** Open to anyone: only {@code /health} (and {@code /metrics} when no METRICS_TOKEN is set). */
  PUBLIC,
  /** {@code Authorization: Bearer <SERVICE_ROLE_KEY>}: operators and the seeds' service calls. */
  SERVICE,
  /** {@code X-Scheduler-Secret: <SCHEDULER_SECRET>}: workers, orchestrator, publishing cycle. */
  SCHEDULER,
  /** {@code Authorization: Bearer <JWT>} signed with JWT_SECRET (HS256), {@code sub} = user id. */
  USER,
  /** A valid {@code Upstash-Signature} of the raw body, from QSTASH_*_SIGNING_KEY. */
  QSTASH,
  /** {@code Authorization: Bearer <ANON_KEY>} or {@code apikey: <ANON_KEY>}: read-only search. */
  ANON,
  /** {@code Authorization: Bearer <METRICS_TOKEN>}: the Prometheus scrape. */
  METRICS,
  /**
   * {@code Authorization: Bearer <ENGAGEMENT_UPDATE_SECRET>}: the engagement batch update's
   * fallback beside QStash's signature (a secret of its own, not a vendor key).
   */
  ENGAGEMENT_UPDATE,
  /**
   * {@code Authorization: Bearer <ADMIN_KEY>}: an administrator's acts (registering a vector-sync
   * source, whose SQL expressions run on every write to a table). Never granted by another key.
   */
  ADMIN
}
