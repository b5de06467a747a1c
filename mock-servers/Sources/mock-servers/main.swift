import ArgumentParser
import Foundation
import MockServers

/// `mock-servers`: runs the Shopify and Amazon stand-ins until SIGINT/SIGTERM
/// and prints their URLs as one JSON line on stdout.
struct MockServersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mock-servers",
        abstract: "Shopify Admin REST and Amazon SP-API (Orders v0 + LWA) mock servers."
    )

    @Option(help: "Shopify mock port (0 = any free port).") var shopifyPort = 0
    @Option(help: "Amazon SP-API mock port (0 = any free port).") var amazonPort = 0
    @Option(help: "Also serve Login with Amazon on this port (0 = any free port); default: only on the Amazon port.") var lwaPort: Int?
    @Option(help: "Seed of the generated data.") var seed: UInt64 = 1
    @Option(help: "Orders per mock at start.") var orders = 200
    @Option(help: "Share of API requests that misbehave (429 bursts, 5xx, slow, truncated, malformed), 0...1.") var faultRate = 0.0
    @Option(help: "Simulated start time (ISO 8601 or epoch seconds); default: now.") var startTime: String?
    @Flag(help: "Freeze the simulated clock (it then moves only through /__mock/.../advance).") var frozenClock = false
    @Flag(help: "Disable rate limiting (benchmarks).") var noRateLimit = false
    @Option(help: "Multiply Amazon's usage-plan rates (60 makes getOrders 1 req/s).") var amazonRateMultiplier = 1.0
    @Option(help: "Days of order history before the start time.") var historyDays = 30

    func run() async throws { try await serve() }

    func serve() async throws {
        var start: Int64?
        if let raw = startTime {
            guard let t = Int64(raw) ?? Timestamp.parse(raw) else { throw ValidationError("--start-time: not ISO 8601 or epoch seconds") }
            start = t
        }
        var s = ShopifyMockOptions()
        s.port = shopifyPort
        s.seed = seed
        s.orderCount = orders
        s.startTime = start
        s.liveClock = !frozenClock
        s.historyDays = historyDays
        s.faults = faultRate > 0 ? .uniform(rate: faultRate, seed: seed) : .none
        if noRateLimit { s.rateLimit = .disabled }

        var a = AmazonMockOptions()
        a.port = amazonPort
        a.lwaPort = lwaPort
        a.seed = seed
        a.orderCount = orders
        a.startTime = start
        a.liveClock = !frozenClock
        a.historyDays = historyDays
        a.faults = faultRate > 0 ? .uniform(rate: faultRate, seed: seed &+ 1) : .none
        a.rateLimits.multiplier = amazonRateMultiplier
        if noRateLimit { a.rateLimits.enabled = false }

        let shopify = try await ShopifyMock.start(s)
        let amazon: AmazonMock
        do {
            amazon = try await AmazonMock.start(a)
        } catch {
            await shopify.stop()
            throw error
        }
        FileHandle.standardOutput.write(Data((Self.announcement(shopify, amazon) + "\n").utf8))

        await Self.waitForTerminationSignal()
        await shopify.stop()
        await amazon.stop()
    }

    static func announcement(_ s: ShopifyMock, _ a: AmazonMock) -> String {
        let line = JSONWriter.render { w in
            w.string("shopify", s.baseURL)
            w.string("amazon", a.baseURL)
            w.string("amazon_lwa", a.lwaBaseURL)
            w.object("credentials") { w in
                w.object("shopify") { w in
                    w.string("shop_domain", s.options.shopDomain)
                    w.string("access_token", s.options.accessToken)
                    w.string("client_secret", s.options.clientSecret)
                }
                w.object("amazon") { w in
                    w.string("seller_id", a.options.sellerID)
                    w.string("marketplace_id", a.options.marketplaceID)
                    w.string("lwa_client_id", a.options.clientID)
                    w.string("lwa_client_secret", a.options.clientSecret)
                    w.string("refresh_token", a.options.refreshToken)
                }
            }
        }
        return String(decoding: line, as: UTF8.self)
    }

    static func waitForTerminationSignal() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { continuation.yield(sig) }
            source.resume()
            sources.append(source)
        }
        for await _ in stream { break }
        sources.forEach { $0.cancel() }
    }
}

// Explicit parse + run: top-level code cannot use @main, and ArgumentParser's
// static main() picks its synchronous overload here.
do {
    let command = try MockServersCommand.parse()
    try await command.serve()
} catch {
    MockServersCommand.exit(withError: error)
}
