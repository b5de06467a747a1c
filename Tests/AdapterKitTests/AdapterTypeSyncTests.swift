import AdapterCatalog
import AdapterKit
import GatewayEngine
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Adapter types in the database")
struct AdapterTypeSyncTests {
    @Test func migrateThenSyncHoldsAllTenWithTheirSchemas() async throws {
        let registry = try AdapterCatalog.registry()
        try await withTestDatabase { database in
            let first = try await AdapterTypeSync.sync(registry, database: database)
            // The seed rows exist already: every manifest whose schema differs from the seed is updated.
            #expect(first.inserted == [])
            #expect(first.updated.contains("amazon"))
            // Shopify's row matches its manifest already (the seed's schema and logo).
            #expect(!first.updated.contains("shopify"))
            let second = try await AdapterTypeSync.sync(registry, database: database)
            #expect(second.inserted.isEmpty && second.updated.isEmpty)

            for (table, kind) in [("public.channel_types", AdapterManifest.Kind.channel), ("public.courier_types", .courier)] {
                let rows = try await database.client.query(
                    "SELECT code, config_schema::text FROM \(unescaped: table) WHERE config_schema IS NOT NULL ORDER BY code"
                ).collect().map { try $0.decode((String, String).self) }
                let expected = registry.manifests.filter { $0.kind == kind }.map(\.code).sorted()
                #expect(rows.map(\.0) == expected)
            }
            let amazon = try await database.client.query(
                "SELECT config_schema->'required' ? 'refresh_token', config_schema->'required' ? 'mws_auth_token' FROM public.channel_types WHERE code = 'amazon'"
            ).collect().first?.decode((Bool, Bool).self)
            #expect(amazon?.0 == true)
            #expect(amazon?.1 == false)
            // The seed's Shiprocket schema survives the sync unchanged (the seed row lacked only a logo).
            let shiprocket = try await database.client.query(
                "SELECT config_schema = '{\"type\": \"object\", \"required\": [\"email\", \"password\"], \"properties\": {\"email\": {\"type\": \"string\"}, \"password\": {\"type\": \"string\"}}}'::jsonb, logo_url FROM public.courier_types WHERE code = 'shiprocket'"
            ).collect().first?.decode((Bool, String?).self)
            #expect(shiprocket?.0 == true)
            #expect(shiprocket?.1 == "/images/couriers/shiprocket.svg")
        }
    }
}
