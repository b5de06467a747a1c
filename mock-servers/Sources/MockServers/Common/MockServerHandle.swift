import Foundation
import Hummingbird
import Logging

/// A running Hummingbird server on 127.0.0.1 that hands every request to one
/// handler. Port 0 picks a free port; `baseURL` tells which.
public final class MockServerHandle: Sendable {
    public let port: Int
    public let host: String
    private let task: Task<Void, any Error>

    public var baseURL: String { "http://\(host):\(port)" }

    init(port: Int, host: String, task: Task<Void, any Error>) {
        self.port = port
        self.host = host
        self.task = task
    }

    public enum StartError: Error, CustomStringConvertible {
        case couldNotBind(host: String, port: Int, underlying: String)
        public var description: String {
            switch self {
            case let .couldNotBind(host, port, underlying): return "could not listen on \(host):\(port): \(underlying)"
            }
        }
    }

    /// Starts listening; returns once the socket is bound.
    public static func start(
        host: String = "127.0.0.1",
        port: Int = 0,
        maxBodyBytes: Int = 10 << 20,
        handler: @escaping @Sendable (MockRequest) async -> MockResponse
    ) async throws -> MockServerHandle {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "mock-servers.http")
        logger.logLevel = .critical
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: maxBodyBytes)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName
                if let existing = headers[name] { headers[name] = existing + ", " + field.value } else { headers[name] = field.value }
            }
            if headers["host"] == nil, let authority = request.head.authority { headers["host"] = authority }
            let mockRequest = MockRequest(
                method: request.method.rawValue,
                path: request.uri.path.removingPercentEncoding ?? request.uri.path,
                rawQuery: request.uri.query ?? "",
                headers: headers,
                body: Array(body.readableBytesView)
            )
            let r = await handler(mockRequest)
            var fields = HTTPFields()
            for (name, value) in r.headers {
                if let n = HTTPFields.Element.Name(name) { fields.append(HTTPFields.Element(name: n, value: value)) }
            }
            return Response(
                status: HTTPResponse.Status(code: r.status, reasonPhrase: HTTPStatusText.reason(r.status)),
                headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: r.body))
            )
        }
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger
        )
        let errorBox = ErrorBox()
        let task = Task {
            do {
                try await app.runService(gracefulShutdownSignals: [])
            } catch {
                errorBox.set(String(describing: error))
                continuation.finish()
                throw error
            }
            continuation.finish()
        }
        for await bound in ports {
            return MockServerHandle(port: bound, host: host, task: task)
        }
        task.cancel()
        throw StartError.couldNotBind(host: host, port: port, underlying: errorBox.get() ?? "server stopped")
    }

    /// Stops accepting connections and waits for the server to finish.
    public func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Carries a start error out of the server task.
private final class ErrorBox: Sendable {
    private let value = LockedBox<String?>(nil)
    func set(_ s: String) { value.withLock { $0 = s } }
    func get() -> String? { value.withLock { $0 } }
}
