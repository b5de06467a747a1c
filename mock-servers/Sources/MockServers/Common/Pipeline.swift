/// The request path every mock shares: admin routes bypass faults, API routes
/// may get a fault, everything is logged.
enum Pipeline {
    static let adminPrefix = "/__mock/"

    static func serve(
        _ request: MockRequest,
        log: RequestLog,
        faults: FaultInjector,
        admin: @Sendable (MockRequest) async -> MockResponse,
        api: @Sendable (MockRequest) async -> MockResponse,
        failure: @Sendable (Fault, MockRequest) -> MockResponse
    ) async -> MockResponse {
        if request.path.hasPrefix(adminPrefix) {
            return await admin(request)
        }
        let fault = faults.next(path: request.path)
        var response: MockResponse
        switch fault {
        case .rateLimited?, .serverError?:
            // Answered before the handler runs: nothing is consumed or changed.
            response = failure(fault ?? .rateLimited, request)
        case let .slow(ms)?:
            try? await Task.sleep(for: .milliseconds(ms))
            response = await api(request)
        case .truncatedBody?, .malformedJSON?:
            response = await api(request)
            if response.status == 200, let f = fault { response = FaultInjector.corrupt(response, with: f) }
        case nil:
            response = await api(request)
        }
        log.append(method: request.method, path: request.path, query: request.rawQuery, status: response.status, fault: fault?.description)
        return response
    }

    /// Parses `?name=int` for admin endpoints.
    static func intParam(_ request: MockRequest, _ name: String, default value: Int) -> Int {
        request.param(name).flatMap { Int($0) } ?? value
    }
}
