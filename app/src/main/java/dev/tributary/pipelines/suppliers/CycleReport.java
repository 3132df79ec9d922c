package dev.tributary.pipelines.suppliers;

import java.util.List;

/** One cycle of the seed's {@code automated-sync}: the jobs it ran and the maintenance after. */
public record CycleReport(
    int processed,
    int completed,
    int failed,
    List<ImportJobView> jobs,
    SupplierMaintenance.Report maintenance) {}
