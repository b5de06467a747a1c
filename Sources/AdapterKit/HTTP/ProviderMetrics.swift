import Metrics

/// Per provider call: `gateway_provider_requests_total{adapter, operation, status}`
/// (status is the HTTP code, or `transport_error`) and
/// `gateway_provider_request_duration_seconds{adapter, operation}`, every
/// attempt counted (retries included), so a flaky provider shows up.
enum ProviderMetrics {
    static func record(_ request: OutboundRequest, outcome: Result<OutboundResponse, some Error>, duration: Duration) {
        let adapter = request.adapter ?? "unknown"
        let status: String
        switch outcome {
        case .success(let response): status = String(response.status)
        case .failure: status = "transport_error"
        }
        Counter(label: "gateway_provider_requests_total",
                dimensions: [("adapter", adapter), ("operation", request.operation), ("status", status)]).increment()
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Timer(label: "gateway_provider_request_duration_seconds", dimensions: [("adapter", adapter), ("operation", request.operation)],
              preferredDisplayUnit: .seconds).recordNanoseconds(nanoseconds)
    }
}
