import Metrics
import Synchronization

/// The server's swift-metrics instruments, created once per label set.
/// Method labels only ever come from the method table (unknown names share
/// one label) so a client cannot blow up the series count.
final class RPCMetrics: Sendable {
    static let unknownMethodLabel = "<unknown>"

    private struct MethodInstruments: Sendable {
        let ok: Counter
        let error: Counter
        let duration: Metrics.Timer
    }

    private let factory: (any MetricsFactory)?
    private let methods = Mutex<[String: MethodInstruments]>([:])
    private let rejectedFrames = Mutex<[String: Counter]>([:])
    private let rejectedPeerCounter: Counter

    init(factory: (any MetricsFactory)?) {
        self.factory = factory
        self.rejectedPeerCounter = Self.counter("rpc_rejected_peers_total", [], factory: factory)
    }

    private static func counter(_ label: String, _ dimensions: [(String, String)], factory: (any MetricsFactory)?) -> Counter {
        if let factory { return Counter(label: label, dimensions: dimensions, factory: factory) }
        return Counter(label: label, dimensions: dimensions)
    }

    private func instruments(for method: String) -> MethodInstruments {
        methods.withLock { cache in
            if let existing = cache[method] { return existing }
            let timer: Metrics.Timer
            if let factory {
                timer = Metrics.Timer(label: "rpc_request_duration_seconds", dimensions: [("method", method)], factory: factory)
            } else {
                timer = Metrics.Timer(label: "rpc_request_duration_seconds", dimensions: [("method", method)])
            }
            let created = MethodInstruments(
                ok: Self.counter("rpc_requests_total", [("method", method), ("outcome", "ok")], factory: factory),
                error: Self.counter("rpc_requests_total", [("method", method), ("outcome", "error")], factory: factory),
                duration: timer)
            cache[method] = created
            return created
        }
    }

    /// One request done; `method` nil for a method that does not exist.
    func finished(method: String?, ok: Bool, nanoseconds: Int64) {
        let instruments = instruments(for: method ?? Self.unknownMethodLabel)
        (ok ? instruments.ok : instruments.error).increment()
        if method != nil { instruments.duration.recordNanoseconds(nanoseconds) }
    }

    /// A frame refused before reaching a handler (too long, unparsable, invalid request).
    func rejectedFrame(_ reason: String) {
        let counter = rejectedFrames.withLock { cache in
            if let existing = cache[reason] { return existing }
            let created = Self.counter("rpc_rejected_frames_total", [("reason", reason)], factory: factory)
            cache[reason] = created
            return created
        }
        counter.increment()
    }

    func rejectedPeer() { rejectedPeerCounter.increment() }
}
