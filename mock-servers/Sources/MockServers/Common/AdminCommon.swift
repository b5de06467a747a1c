/// Admin endpoints every mock shares under /__mock/<provider>/: request log
/// and fault plan. Provider-specific ones live with each provider.
enum AdminCommon {
    static func notFound() -> MockResponse {
        .json(404, JSONWriter.render { $0.string("error", "unknown mock admin endpoint") })
    }

    static func ok(_ body: (inout JSONWriter) -> Void) -> MockResponse {
        .json(200, JSONWriter.render(body))
    }

    /// requests (GET lists, DELETE clears) and faults (PUT sets).
    static func handle(_ r: MockRequest, action: String, log: RequestLog, faults: FaultInjector) -> MockResponse? {
        switch (r.method, action) {
        case ("GET", "requests"):
            return .json(200, log.renderJSON())
        case ("DELETE", "requests"):
            log.clear()
            return ok { $0.bool("cleared", true) }
        case ("PUT", "faults"), ("POST", "faults"):
            guard let plan = parseFaults(r) else {
                return .json(400, JSONWriter.render { $0.string("error", "use ?rate=0.1[&seed=N] or ?script=3:503,4:429,5:slow") })
            }
            faults.set(plan)
            return ok { $0.bool("updated", true) }
        default:
            return nil
        }
    }

    /// `rate=0.1&seed=7` or `script=3:503,4:429,5:slow,6:truncated,7:malformed`.
    static func parseFaults(_ r: MockRequest) -> FaultPlan? {
        if let script = r.param("script") {
            var map: [Int: Fault] = [:]
            for item in script.split(separator: ",") {
                let kv = item.split(separator: ":")
                guard kv.count == 2, let n = Int(kv[0]), let fault = parseFault(String(kv[1])) else { return nil }
                map[n] = fault
            }
            return .scripted(map)
        }
        if let raw = r.param("rate"), let rate = Double(raw) {
            let seed = r.param("seed").flatMap { UInt64($0) } ?? 0
            return .uniform(rate: rate, seed: seed)
        }
        if r.param("none") != nil { return FaultPlan.none }
        return nil
    }

    static func parseFault(_ s: String) -> Fault? {
        switch s {
        case "429": return .rateLimited
        case "slow": return .slow(milliseconds: 1500)
        case "truncated": return .truncatedBody
        case "malformed": return .malformedJSON
        default:
            if let code = Int(s), (500...599).contains(code) { return .serverError(code) }
            return nil
        }
    }
}
