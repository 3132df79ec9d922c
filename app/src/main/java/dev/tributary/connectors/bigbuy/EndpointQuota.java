package dev.tributary.connectors.bigbuy;

import java.time.Instant;
import java.util.Optional;

/**
 * BigBuy's limits are per endpoint for the whole account (10 list calls an hour): what the last
 * answer's {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} said is kept where every
 * node sees it, so no node calls an endpoint whose quota is spent before its reset. The pipeline
 * keeps it in PostgreSQL.
 */
public interface EndpointQuota {
  /** When the endpoint may be called again, if its quota is spent now. */
  Optional<Instant> blockedUntil(String endpoint);

  /** What an answer's headers said: {@code remaining} calls until {@code reset}. */
  void record(String endpoint, int remaining, Instant reset);

  /** No shared memory: every call goes out, and only a 429 stops it. */
  EndpointQuota NONE =
      new EndpointQuota() {
        @Override
        public Optional<Instant> blockedUntil(String endpoint) {
          return Optional.empty();
        }

        @Override
        public void record(String endpoint, int remaining, Instant reset) {}
      };
}
