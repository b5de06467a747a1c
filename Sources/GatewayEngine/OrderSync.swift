import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging

/// One incremental pull of a channel: pages from the adapter, each written
/// with its cursor in one tenant transaction, so a pull killed half way
/// resumes from the last committed page and never duplicates.
public struct OrderSync: Sendable {
    public struct Progress: Sendable, Equatable {
        public var pages = 0
        public var orders = 0
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var statusChanges = 0
        public var complete = false
    }

    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    public var logger: Logger

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault, logger: Logger) {
        self.database = database
        self.registry = registry
        self.vault = vault
        self.logger = logger
    }

    /// Pulls until the adapter says the pull is complete (or `maxPages`).
    public func pull(tenant: Tenant, channelID: UUID, lease: JobLease? = nil, maxPages: Int? = nil,
                     progress report: (@Sendable (Progress) -> Void)? = nil) async throws -> Progress {
        let store = ChannelStore(database: database, vault: vault)
        guard let record = try await store.get(tenant: tenant, id: channelID) else {
            throw GatewayError(.notFound, "channel \(channelID) not found in tenant \(tenant.slug)")
        }
        guard record.status != "disconnected" else { throw GatewayError(.conflict, "channel \(channelID) is disconnected") }
        let adapter = try registry.channel(record.code)
        let connection = Connection(id: record.id, tenant: tenant.slug, adapterCode: record.code, credentials: record.credentials,
                                    settings: record.settings, webhookSecret: record.webhookSecret)
        var cursor = try await loadCursor(tenant: tenant, channelID: channelID)
        var progress = Progress()
        var log = logger
        log[metadataKey: "tenant"] = "\(tenant.slug)"
        log[metadataKey: "channel"] = "\(channelID)"
        log[metadataKey: "adapter"] = "\(record.code)"
        do {
            while true {
                let page = try await adapter.fetchOrders(connection, after: cursor)
                let cursorJSON = try page.next.map(Self.encode)
                let written = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    try await OrderStore().write(page.orders, channelID: channelID, cursor: cursorJSON, lease: lease, on: db, logger: log)
                }
                cursor = page.next
                progress.pages += 1
                progress.orders += page.orders.count
                progress.inserted += written.inserted
                progress.updated += written.updated
                progress.unchanged += written.unchanged
                progress.statusChanges += written.statusChanges
                progress.complete = page.complete
                report?(progress)
                if page.complete { break }
                if let maxPages, progress.pages >= maxPages { break }
                try Task.checkCancellation()
            }
        } catch {
            try? await store.recordSync(tenant: tenant, id: channelID, status: Self.isAuthenticationFailure(error) ? "error" : record.status,
                                        error: "\(error)")
            log.warning("order pull failed", metadata: ["error": "\(error)", "pages": "\(progress.pages)"])
            throw error
        }
        if progress.complete {
            try await store.recordSync(tenant: tenant, id: channelID, status: "active", error: nil)
        }
        log.info("order pull", metadata: ["pages": "\(progress.pages)", "orders": "\(progress.orders)", "inserted": "\(progress.inserted)",
                                          "updated": "\(progress.updated)", "complete": "\(progress.complete)"])
        return progress
    }

    func loadCursor(tenant: Tenant, channelID: UUID) async throws -> SyncCursor? {
        let logger = self.logger
        let json = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await OrderStore.cursor(channelID: channelID, on: db, logger: logger)
        }
        guard let json else { return nil }
        return try Self.decoder.decode(SyncCursor.self, from: Data(json.serialized().utf8))
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func encode(_ cursor: SyncCursor) throws -> JSON {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try JSON.parse(Array(try encoder.encode(cursor)))
    }

    /// Bad credentials stop retries until someone fixes them.
    static func isAuthenticationFailure(_ error: any Error) -> Bool {
        if let error = error as? AdapterError, case .authenticationFailed = error { return true }
        return false
    }
}
