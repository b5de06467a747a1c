import AdapterKit
import ArgumentParser
import Foundation
import GatewayRPC
import GatewayStore
import JSONCore
import MockServers
import ServiceLifecycle

/// `gateway demo`: the whole gateway, end to end, on a fresh machine with no
/// configuration. Embedded PostgreSQL, in-process mock providers, the real
/// gateway process; everything the demo does to the gateway goes through
/// the RPC socket or the webhook server, as another service or a courier would.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the gateway end to end against mock providers and print a summary.",
        discussion: """
            Starts the embedded PostgreSQL (in a temporary folder unless --state-dir), mock Shopify, Amazon, \
            Shiprocket and Delhivery servers, and the gateway; connects the four providers through the RPC socket, \
            pulls orders, books shipments, lets the couriers push tracking (duplicates, out-of-order events, NDRs, \
            RTOs), acts on an NDR, and prints a summary. --keep-running leaves the gateway up for `gateway rpc`.
            """
    )

    @Option(name: .customLong("state-dir"), help: "Folder for the demo's database and socket (default: a new temporary folder).")
    var stateDirectory: String?

    @Option(help: "Orders in the mock Shopify store.") var shopifyOrders = 600
    @Option(help: "Orders in the mock Amazon account (getOrderItems allows a burst of 30 at 0.5/s).") var amazonOrders = 24
    @Option(help: "Shipments to book.") var shipments = 40
    @Flag(name: .customLong("keep-running"), help: "Leave the gateway running after the summary (Ctrl-C stops it).")
    var keepRunning = false
    @Flag(name: .shortAndLong, help: "Log the gateway's own messages to stderr.") var verbose = false

    func run() async throws {
        guard shipments >= 0, shopifyOrders > 0, amazonOrders >= 0 else {
            throw CommandFailure(description: "counts must be positive", exitCode: 2)
        }
        let folder = stateDirectory.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: "/tmp/gateway-demo-\(UUID().uuidString.prefix(8).lowercased())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let runtime = GatewayRuntime(databaseURL: nil, stateDirectory: folder.path, verbose: verbose)
        let say = DemoOutput()
        say.step("state folder \(folder.path)")

        let mocks = try await DemoMocks.start(shopifyOrders: shopifyOrders, amazonOrders: amazonOrders)
        say.step("mock providers up: Shopify \(mocks.shopify.baseURL), Amazon \(mocks.amazon.baseURL), "
                 + "Shiprocket \(mocks.shiprocket.baseURL), Delhivery \(mocks.delhivery.baseURL)")
        var registry = try runtime.registry()
        registry.baseURLOverrides = mocks.baseURLOverrides
        let vault = try runtime.vault()

        say.step(runtime.environment["DATABASE_URL"].map { _ in "using DATABASE_URL" } ?? "starting the embedded PostgreSQL")
        let keepRunning = self.keepRunning
        let plan = DemoPlan(shipments: shipments)
        do {
            try await runtime.withDatabase { database in
                let tenant = try await DemoTenant.create(database)
                say.step("tenant '\(tenant)' on the enterprise plan")
                var settings = ServeSettings(rpcSocket: folder.appendingPathComponent("rpc.sock").path)
                settings.httpPort = 0
                // Pulls and polls run when the demo says, so the story prints in order.
                settings.scheduler = false
                let process = GatewayProcess(settings: settings, database: database, registry: registry, vault: vault, logger: runtime.logger)
                let ready = AsyncStream.makeStream(of: GatewayProcess.Endpoints.self)
                let group = try await process.makeGroup { endpoints in ready.continuation.yield(endpoints) }
                async let served: Void = group.run()
                var endpoints: GatewayProcess.Endpoints?
                for await value in ready.stream { endpoints = value; break }
                guard let endpoints else { throw CommandFailure(description: "the gateway did not start") }
                say.step("gateway up: RPC \(endpoints.rpcSocket), webhooks http://127.0.0.1:\(endpoints.httpPort)")
                do {
                    let client = try await RPCClient.connect(path: endpoints.rpcSocket)
                    let story = DemoStory(client: client, tenant: tenant, mocks: mocks, httpPort: endpoints.httpPort, plan: plan, say: say) {
                        try await DemoSummary.pendingInbox(database, tenant: tenant)
                    }
                    try await story.run()
                    await client.close()
                    try await DemoSummary(database: database, tenant: tenant).print(say)
                    if keepRunning {
                        say.blank()
                        say.line("The gateway keeps running (Ctrl-C to stop). Try:")
                        say.line("  swift run gateway rpc --socket \(endpoints.rpcSocket) system.health")
                        say.line("  swift run gateway rpc --socket \(endpoints.rpcSocket) ndr.list '{\"tenant\":\"\(tenant)\"}' --pretty")
                        say.line("  swift run gateway rpc --socket \(endpoints.rpcSocket) orders.list '{\"tenant\":\"\(tenant)\",\"limit\":5}' --pretty")
                    } else {
                        await group.triggerGracefulShutdown()
                    }
                } catch {
                    await group.triggerGracefulShutdown()
                    try? await served
                    throw error
                }
                try await served
            }
        } catch {
            await mocks.stop()
            throw error
        }
        await mocks.stop()
        if stateDirectory == nil && !keepRunning { try? FileManager.default.removeItem(at: folder) }
        say.line("demo finished")
    }
}

/// Numbered progress lines on stdout.
final class DemoOutput: Sendable {
    func step(_ text: String) { line("==> " + text) }
    func line(_ text: String) {
        // Unbuffered, so progress shows even when stdout is a pipe.
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
    func blank() { line("") }
}

struct DemoPlan: Sendable {
    var shipments: Int
}

enum DemoTenant {
    /// "demo", or "demo_<n>" when an earlier demo left one in the same database.
    static func create(_ database: GatewayDatabase) async throws -> String {
        let tenants = TenantStore(database: database)
        for attempt in 0..<50 {
            let slug = attempt == 0 ? "demo" : "demo_\(attempt + 1)"
            do {
                return try await tenants.create(slug: slug, name: "Demo Kurta Store", planCode: "enterprise").slug
            } catch StoreError.tenantExists {
                continue
            }
        }
        throw CommandFailure(description: "could not find a free demo tenant slug")
    }
}
