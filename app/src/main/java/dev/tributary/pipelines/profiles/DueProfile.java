package dev.tributary.pipelines.profiles;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code get_profiles_to_sync(max_profiles)} (S0.1). */
public record DueProfile(
    UUID profileId,
    String linkedinId,
    String fullName,
    int syncPriority,
    Instant lastScrapedAt,
    int consecutiveFailures) {}
