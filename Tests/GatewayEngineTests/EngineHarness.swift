import AdapterCatalog
import AdapterKit
import Foundation
import GatewayEngine
import GatewayStore
import JSONCore
import Logging
import MockServers
import TestSupport

/// A migrated test database, the real adapter catalog pointed at mock
/// providers, a vault, and a tenant.
struct EngineHarness {
    let database: GatewayDatabase
    var registry: AdapterRegistry
    let vault: CredentialVault
    let logger: Logger

    init(database: GatewayDatabase, overrides: [String: String]) throws {
        self.database = database
        var registry = try AdapterCatalog.registry()
        registry.baseURLOverrides = overrides
        // Fast retries: the mocks' faults are transient by design.
        registry.transport.policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(10), maxDelay: .milliseconds(200))
        self.registry = registry
        self.vault = CredentialVault(current: MasterKey.generate())
        self.logger = TestPostgres.logger
    }

    var channels: ChannelService { ChannelService(database: database, registry: registry, vault: vault) }
    var sync: OrderSync { OrderSync(database: database, registry: registry, vault: vault, logger: logger) }

    func tenant(_ slug: String = "acme", plan: String = "enterprise") async throws -> Tenant {
        try await TenantStore(database: database).create(slug: slug, name: slug.capitalized, planCode: plan)
    }

    static func shopifyCredentials(_ mock: ShopifyMock) -> JSON {
        ["shop_domain": .string(mock.options.shopDomain), "access_token": .string(mock.options.accessToken), "api_version": "2025-01"]
    }

    func count(_ tenant: Tenant, _ sql: String) async throws -> Int {
        try await database.withTenantTransaction(schema: tenant.schemaName) { db in
            try await db.query(PostgresQueryText(sql).query, logger: logger).collect().first?.decode(Int.self) ?? -1
        }
    }
}

import PostgresNIO

/// Raw SQL text for assertions (tests only).
struct PostgresQueryText {
    var sql: String
    init(_ sql: String) { self.sql = sql }
    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql) }
}
