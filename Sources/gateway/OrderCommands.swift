import AdapterCatalog
import AdapterKit
import ArgumentParser
import Foundation
import GatewayEngine
import GatewayModel
import GatewayStore
import JSONCore

/// `gateway normalize <adapter> orders <file>...`: provider payloads in,
/// unified orders out; no database.
struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Turn provider payloads into the unified model (prints JSON; touches no database).",
        discussion: """
            orders: a single order, an order list page or an order webhook body; for Amazon a getOrders page \
            plus the getOrderItems responses of its orders. Prints {"orders": [...]}, each order with the \
            seed's orders columns and an items array of order_items columns. Unrecognized payload: exit 2.
            tracking (couriers): a tracking API response or a tracking webhook body. Prints {"shipments": [...]}, \
            one per AWB with the latest event's status, is_ndr and ndr_reason and every event in time order. \
            A payload without tracking (an error, a login answer): exit 2.
            """
    )

    enum Kind: String, ExpressibleByArgument, CaseIterable { case orders, tracking }

    @Argument(help: "Adapter code, e.g. shopify or amazon.") var adapter: String
    @Argument(help: "What the payloads hold: orders (channels) or tracking (couriers).") var kind: Kind
    @Argument(help: "Payload files (- for standard input).") var files: [String]

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one payload file") }
    }

    func run() async throws {
        if kind == .tracking {
            try NormalizeTracking.run(adapter: adapter, files: files)
            return
        }
        let registry = try AdapterCatalog.registry()
        let manifest: AdapterManifest
        do { manifest = try registry.manifest(adapter) } catch {
            throw CommandFailure(description: "\(error)", exitCode: 2)
        }
        guard manifest.kind == .channel else {
            throw CommandFailure(description: "'\(adapter)' is a courier; orders come from channels (\(registry.manifests.filter { $0.kind == .channel }.map(\.code).joined(separator: ", ")))", exitCode: 2)
        }
        let payloads = try files.map(InputFile.readJSON)
        let orders: [UnifiedOrder]
        do {
            orders = try registry.channel(adapter).normalizeOrders(payloads)
        } catch let error as AdapterError {
            throw CommandFailure(description: "\(files.joined(separator: ", ")): \(error)", exitCode: 2)
        }
        // Orders encode their own dates (DateCoding), so the date strategy does not apply.
        print("{\"orders\": \(try CLIJSON.text(orders))}")
    }
}

/// `gateway sync <tenant> [--channel <id>]`: one pull now, progress on stderr.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull orders from a tenant's channels now (all active channels, or one)."
    )

    @Argument(help: "Tenant slug.") var tenant: String
    @Option(help: "Only this channel connection id.") var channel: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let runtime = GatewayRuntime(options: database)
        let channelID: UUID?
        if let channel {
            guard let id = UUID(uuidString: channel) else { throw CommandFailure(description: "--channel must be a connection id (UUID)", exitCode: 2) }
            channelID = id
        } else {
            channelID = nil
        }
        try await runtime.withDatabase { db in
            let registry = try runtime.registry()
            let vault = try runtime.vault()
            let service = ChannelService(database: db, registry: registry, vault: vault)
            let tenant = try await service.tenant(tenant)
            let channels = try await ChannelStore(database: db, vault: vault).list(tenant: tenant)
                .filter { $0.status != "disconnected" && (channelID == nil || $0.id == channelID) }
            if channels.isEmpty {
                throw CommandFailure(description: channelID == nil ? "tenant \(tenant.slug) has no connected channels" : "no such connected channel")
            }
            let sync = OrderSync(database: db, registry: registry, vault: vault, logger: runtime.logger)
            var failures = 0
            for record in channels {
                let label = "\(record.code) \(record.id.uuidString.lowercased())"
                do {
                    let result = try await sync.pull(tenant: tenant, channelID: record.id) { progress in
                        Stderr.write("\r\(label): \(progress.pages) pages, \(progress.orders) orders (\(progress.inserted) new, \(progress.updated) updated)")
                    }
                    Stderr.write("\r\(label): \(result.orders) orders in \(result.pages) pages: \(result.inserted) new, \(result.updated) updated, \(result.unchanged) unchanged\n")
                } catch {
                    failures += 1
                    Stderr.write("\n\(label): failed: \(error)\n")
                }
            }
            if failures > 0 { throw CommandFailure(description: "\(failures) of \(channels.count) channel pulls failed") }
        }
    }
}

enum Stderr {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
