import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import Logging

/// What the RPC methods need from the rest of the process.
public struct GatewayServices: Sendable {
    public var database: GatewayDatabase
    public var registry: AdapterRegistry
    public var vault: CredentialVault
    public var health: HealthMonitor
    public var logger: Logger
    /// Public base URL of the webhook server (GATEWAY_PUBLIC_URL), for the webhook URLs handed out.
    public var publicBaseURL: String?

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault, health: HealthMonitor,
                logger: Logger, publicBaseURL: String? = nil) {
        self.database = database
        self.registry = registry
        self.vault = vault
        self.health = health
        self.logger = logger
        self.publicBaseURL = publicBaseURL
    }

    var channels: ChannelService { ChannelService(database: database, registry: registry, vault: vault) }
    var couriers: CourierService { CourierService(database: database, registry: registry, vault: vault) }
    var shipments: ShipmentService { ShipmentService(database: database, registry: registry, vault: vault) }
    var ndr: NDRService { NDRService(database: database, registry: registry, vault: vault) }
    var orders: OrderQueries { OrderQueries(database: database) }
    var sync: OrderSync { OrderSync(database: database, registry: registry, vault: vault, logger: logger) }

    func webhookURL(_ path: String) -> String {
        guard let base = publicBaseURL, !base.isEmpty else { return path }
        return (base.hasSuffix("/") ? String(base.dropLast()) : base) + path
    }
}

/// The gateway's method table: every method in contracts/rpc/openrpc.json,
/// each call's params checked against the contract before its handler runs.
public enum GatewayMethods {
    /// Cheap, CPU-light methods that stay on the connection's event loop.
    static let inlineMethods: Set<String> = ["rpc.discover", "system.health", "adapters.list", "credentials.validate"]

    public static func table(_ services: GatewayServices, contract: RPCContract) -> RPCMethodTable {
        var table = RPCMethodTable()
        func register(_ name: String, _ handler: @escaping @Sendable (Params, RPCRequestContext) async throws -> JSON) {
            table.register(name) { params, context in
                let problems = contract.checkParams(name, params)
                guard problems.isEmpty else {
                    throw RPCError.invalidParams(
                        "invalid params for \(name): " + problems.map(\.description).joined(separator: "; "),
                        data: ["errors": .array(problems.map { ["pointer": .string($0.instancePointer), "message": .string($0.message)] })])
                }
                let parsed = try Params(params)
                // Handlers start on the connection's event loop (cheapest for small calls); anything
                // that may normalize pages or call providers moves to the global executor so one
                // busy request cannot stall the other connections on that loop.
                guard !inlineMethods.contains(name) else { return try await handler(parsed, context) }
                return try await withTaskExecutorPreference(globalConcurrentExecutor) {
                    try await handler(parsed, context)
                }
            }
        }
        let document = contract.document
        register("rpc.discover") { _, _ in document }
        SystemMethods.register(into: register, services)
        ChannelMethods.register(into: register, services)
        CourierMethods.register(into: register, services)
        OrderMethods.register(into: register, services)
        ShipmentMethods.register(into: register, services)
        NDRMethods.register(into: register, services)
        return table
    }
}

typealias Register = (String, @escaping @Sendable (Params, RPCRequestContext) async throws -> JSON) -> Void

enum SystemMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("system.health") { _, _ in
            let snapshot = services.health.snapshot
            return [
                "status": snapshot.databaseOK ? "ok" : "degraded",
                "version": .string(services.health.version),
                "uptime_seconds": ResultJSON.int(services.health.uptimeSeconds),
                "database": ["ok": .bool(snapshot.databaseOK), "checked_at": ResultJSON.date(snapshot.checkedAt),
                             "error": ResultJSON.string(snapshot.error)],
            ]
        }
        register("adapters.list") { params, _ in
            let kind = try params.optionalString("kind")
            let adapters: [JSON] = services.registry.manifests.filter { kind == nil || $0.kind.rawValue == kind }.map { manifest in
                var object = JSONObject()
                object["code"] = .string(manifest.code)
                object["kind"] = .string(manifest.kind.rawValue)
                object["name"] = .string(manifest.name)
                object["capabilities"] = .array(manifest.capabilities.map(JSON.string))
                object["secret_fields"] = .array(manifest.secretFields.map(JSON.string))
                object["config_schema"] = manifest.configSchema
                object["webhook"] = manifest.document["webhook"] ?? .null
                object["docs_url"] = ResultJSON.string(manifest.docsURL)
                return .object(object)
            }
            return ["adapters": .array(adapters)]
        }
        register("credentials.validate") { params, _ in
            let code = try params.string("adapter")
            guard services.registry.registrations[code] != nil else {
                throw GatewayError(.notFound, "unknown adapter '\(code)'; known: \(services.registry.manifests.map(\.code).joined(separator: ", "))")
            }
            let problems = try services.registry.checkCredentials(code, params["credentials"] ?? .null)
            return ["valid": .bool(problems.isEmpty), "errors": ApplicationError.problems(problems)]
        }
    }
}
