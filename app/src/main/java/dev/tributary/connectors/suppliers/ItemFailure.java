package dev.tributary.connectors.suppliers;

/** An item of a page that could not be read; the rest of the page is kept. */
public record ItemFailure(String externalId, String reason) {}
