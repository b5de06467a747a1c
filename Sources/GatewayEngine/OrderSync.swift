import AdapterKit
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import Metrics

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
        let cursor = try await loadCursor(tenant: tenant, channelID: channelID)
        var progress = Progress()
        var log = logger
        log[metadataKey: "tenant"] = "\(tenant.slug)"
        log[metadataKey: "channel"] = "\(channelID)"
        log[metadataKey: "adapter"] = "\(record.code)"
        // Pages n+1 and n+2 are fetched, normalized and hashed while page n is written:
        // the provider, the mock and PostgreSQL overlap instead of taking turns. Only the
        // write commits a cursor, so a killed pull still resumes from the last committed
        // page; a prefetched page that is never written is just dropped (docs/adr/0014).
        let fetch: @Sendable (SyncCursor?) async throws -> FetchedPage = { after in
            let page = try await adapter.fetchOrders(connection, after: after)
            return FetchedPage(page: page, prepared: OrderStore.prepare(page.orders), cursor: try page.next.map(Self.encode))
        }
        var queue: [Task<FetchedPage?, any Error>] = []
        var scheduled = 0
        /// Each fetch waits for the one before it: the next page token comes from its response.
        func topUp() {
            while queue.count < Self.prefetchDepth, maxPages.map({ scheduled < max($0, 1) }) ?? true {
                let previous = queue.last
                let start = scheduled == 0 ? cursor : nil
                queue.append(Task {
                    guard let previous else { return try await fetch(start) }
                    guard let before = try await previous.value, !before.page.complete else { return nil }
                    return try await fetch(before.page.next)
                })
                scheduled += 1
            }
        }
        do {
            topUp()
            while !queue.isEmpty {
                let task = queue.removeFirst()
                guard let fetched = try await withTaskCancellationHandler(operation: { try await task.value },
                                                                           onCancel: { task.cancel() }) else { break }
                let page = fetched.page
                let lastWanted = maxPages.map { progress.pages + 1 >= $0 } ?? false
                if !page.complete { topUp() }
                let written = try await database.withTenantTransaction(schema: tenant.schemaName) { db in
                    // No wait for the WAL flush: a database crash can lose the last pages, but
                    // only together with their cursor, so the pull redoes them (docs/adr/0014);
                    // the synchronous recordSync at the end flushes everything before it.
                    try await db.query("SELECT set_config('synchronous_commit', 'off', true)", logger: log)
                    return try await OrderStore().write(prepared: fetched.prepared, seen: page.orders.count, channelID: channelID,
                                                 cursor: fetched.cursor, lease: lease, on: db, logger: log)
                }
                progress.pages += 1
                progress.orders += page.orders.count
                progress.inserted += written.inserted
                progress.updated += written.updated
                progress.unchanged += written.unchanged
                progress.statusChanges += written.statusChanges
                progress.complete = page.complete
                EngineMetrics.ordersPulled(adapter: record.code, inserted: written.inserted, updated: written.updated,
                                           unchanged: written.unchanged)
                report?(progress)
                if page.complete || lastWanted { break }
                try Task.checkCancellation()
            }
            for task in queue { task.cancel() }
        } catch {
            for task in queue { task.cancel() }
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

    /// Pages fetched ahead of the one being written.
    static let prefetchDepth = 2

    /// A page ready to write: orders, their content hashes, the cursor as JSON.
    struct FetchedPage: Sendable {
        var page: OrderPage
        var prepared: [OrderStore.Prepared]
        var cursor: JSON?
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
    public static func isAuthenticationFailure(_ error: any Error) -> Bool {
        if let error = error as? AdapterError, case .authenticationFailed = error { return true }
        return false
    }
}
