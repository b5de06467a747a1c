import Foundation
import Hummingbird
import NIOCore

enum Servers {
    /// Runs the application in the background until the process ends; returns its port.
    static func start<App: ApplicationProtocol>(_ make: (@escaping @Sendable (Int) -> Void) -> App) async throws -> Int {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = make { port in
            continuation.yield(port)
            continuation.finish()
        }
        Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await bound in ports { port = bound }
        return port
    }

    /// The baseline: the same route, reads the body, answers 200, does nothing else.
    static func minimal(onBound: @escaping @Sendable (Int) -> Void) -> some ApplicationProtocol {
        let router = Router()
        router.post("webhooks/:kind/:code/:connection") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "accepted\n")))
        }
        return Application(router: router, configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                           onServerRunning: { channel in onBound(channel.localAddress?.port ?? 0) })
    }
}
