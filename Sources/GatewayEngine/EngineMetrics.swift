import GatewayStore
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
    /// Also `gateway_ndr_cases_reopened_total{cause="failed_again"}`.
    static func trackingIngested(stored: Int, duplicates: Int, ndrOpened: Int, ndrReopened: Int = 0) {
        if ndrReopened > 0 { Counter(label: "gateway_ndr_cases_reopened_total", dimensions: [("cause", "failed_again")]).increment(by: ndrReopened) }
        if stored > 0 { Counter(label: "gateway_tracking_events_total", dimensions: [("result", "stored")]).increment(by: stored) }
        if duplicates > 0 { Counter(label: "gateway_tracking_events_total", dimensions: [("result", "duplicate")]).increment(by: duplicates) }
        if ndrOpened > 0 { Counter(label: "gateway_ndr_cases_opened_total").increment(by: ndrOpened) }
    }

    /// `gateway_job_lag_seconds{kind}`: how late a job started against its schedule.
    static func jobLag(kind: String, milliseconds: Int) {
        Timer(label: "gateway_job_lag_seconds", dimensions: [("kind", kind)], preferredDisplayUnit: .seconds)
            .recordMilliseconds(max(0, milliseconds))
    }

    /// `gateway_webhook_queue_depth{state}`: deliveries waiting (due or leased), retrying after a
    /// failure, or given up (waiting for a replay). What an on-call alert watches.
    static func queueDepth(_ depth: WebhookInbox.QueueDepth) {
        Gauge(label: "gateway_webhook_queue_depth", dimensions: [("state", "pending")]).record(depth.pending)
        Gauge(label: "gateway_webhook_queue_depth", dimensions: [("state", "retrying")]).record(depth.retrying)
        Gauge(label: "gateway_webhook_queue_depth", dimensions: [("state", "gave_up")]).record(depth.gaveUp)
    }

    /// `gateway_webhook_inbox_purged_total`: processed deliveries deleted after the retention.
    static func inboxPurged(_ count: Int) {
        if count > 0 { Counter(label: "gateway_webhook_inbox_purged_total").increment(by: count) }
    }

    /// `gateway_ndr_followups_total{outcome}`: queued courier NDR requests decided (accepted,
    /// rejected, unconfirmed); `gateway_ndr_cases_reopened_total{cause}`.
    static func ndrFollowUp(accepted: Int, rejected: Int, unconfirmed: Int) {
        for (outcome, count) in [("accepted", accepted), ("rejected", rejected), ("unconfirmed", unconfirmed)] where count > 0 {
            Counter(label: "gateway_ndr_followups_total", dimensions: [("outcome", outcome)]).increment(by: count)
        }
        if rejected > 0 { Counter(label: "gateway_ndr_cases_reopened_total", dimensions: [("cause", "request_refused")]).increment(by: rejected) }
    }
}
