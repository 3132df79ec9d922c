package dev.tributary.search;

/** One result: the item and its cosine similarity to the query, computed exactly in float. */
public record SearchHit(IndexedItem item, double similarity) {}
