package dev.tributary.engine;

/**
 * How many jobs of a match an action would touch, and the highest id among them: pass it back as
 * {@link JobMatch#upToId} so the action touches no job that arrived after the count.
 */
public record MatchCount(long count, Long maxId) {}
