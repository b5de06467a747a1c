import Metrics

/// The engine's Prometheus series (the process bootstraps the backend;
/// without one these are no-ops).
enum EngineMetrics {
    /// `gateway_orders_pulled_total{adapter, result}`: result inserted, updated or unchanged.
    static func ordersPulled(adapter: String, inserted: Int, updated: Int, unchanged: Int) {
        for (result, count) in [("inserted", inserted), ("updated", updated), ("unchanged", unchanged)] where count > 0 {
            Counter(label: "gateway_orders_pulled_total", dimensions: [("adapter", adapter), ("result", result)]).increment(by: count)
        }
    }

    /// `gateway_tracking_events_total{result}` (stored or duplicate) and `gateway_ndr_cases_opened_total`.
    static func trackingIngested(stored: Int, duplicates: Int, ndrOpened: Int) {
        if stored > 0 { Counter(label: "gateway_tracking_events_total", dimensions: [("result", "stored")]).increment(by: stored) }
        if duplicates > 0 { Counter(label: "gateway_tracking_events_total", dimensions: [("result", "duplicate")]).increment(by: duplicates) }
        if ndrOpened > 0 { Counter(label: "gateway_ndr_cases_opened_total").increment(by: ndrOpened) }
    }

    /// `gateway_job_lag_seconds{kind}`: how late a job started against its schedule.
    static func jobLag(kind: String, milliseconds: Int) {
        Timer(label: "gateway_job_lag_seconds", dimensions: [("kind", kind)], preferredDisplayUnit: .seconds)
            .recordMilliseconds(max(0, milliseconds))
    }
}
