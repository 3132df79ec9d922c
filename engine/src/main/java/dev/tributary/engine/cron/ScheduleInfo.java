package dev.tributary.engine.cron;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A stored schedule and where it stands. */
public record ScheduleInfo(
    String name,
    String cron,
    String timeZone,
    String kind,
    JsonNode args,
    String queue,
    int priority,
    int maxAttempts,
    boolean enabled,
    Instant nextFireAt,
    Instant lastFiredAt,
    Long lastJobId) {}
