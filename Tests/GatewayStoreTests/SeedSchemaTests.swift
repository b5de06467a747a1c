import Foundation
import GatewayStore
import Testing
import TestSupport

@Suite("Seed schema")
struct SeedSchemaTests {
    /// Builds a reference database by running the document's SQL as written,
    /// then compares its catalog and seed rows with a migrated database.
    @Test func migratedDatabaseMatchesTheSeedDocument() async throws {
        let document = try SeedDocument.load()
        #expect(document.publicTables.count == 11)
        #expect(document.tenantTables.count == 33)
        let seeded = SeedDocument.names(in: document.publicSQL, pattern: #"INSERT INTO public\.(\w+)"#)
        let tenantSeeded = SeedDocument.names(in: document.tenantSQL, pattern: #"INSERT INTO (\w+)"#)
        #expect(seeded == ["features", "channel_types", "courier_types"])
        #expect(tenantSeeded == ["roles", "permissions", "data_masking_rules"])

        let (referencePublic, referenceTenant) = try await withTestDatabase(migrated: false) { reference in
            try await reference.withConnection { connection in
                for block in document.publicSQL { try await connection.runScript(block) }
                try await connection.runScript("CREATE SCHEMA tenant_ref; SET search_path TO tenant_ref")
                for block in document.tenantSQL { try await connection.runScript(block) }
                try await connection.runScript("SET search_path TO DEFAULT")
            }
            return (
                try await CatalogSnapshot.capture(reference, schema: "public", tables: document.publicTables, seededTables: seeded),
                try await CatalogSnapshot.capture(reference, schema: "tenant_ref", tables: document.tenantTables, seededTables: tenantSeeded)
            )
        }
        try await withTestDatabase { database in
            _ = try await TenantStore(database: database).create(slug: "ref", name: "Reference", planCode: "starter")
            let ours = try await CatalogSnapshot.capture(database, schema: "public", tables: document.publicTables, seededTables: seeded)
            let oursTenant = try await CatalogSnapshot.capture(database, schema: "tenant_ref", tables: document.tenantTables, seededTables: tenantSeeded)
            #expect(ours.differences(from: referencePublic) == [])
            // The gateway's additions to seed tables: unique indexes only (docs/adr/0009, 0010).
            #expect(oursTenant.differences(from: referenceTenant, allowedExtras: ["idx_order_items_external_item", "idx_tracking_dedupe", "idx_ndr_one_per_shipment"]) == [])
            #expect(oursTenant.indexes.contains { $0.contains(" idx_order_items_external_item ") })
            // Not vacuous: the snapshots hold the whole schema.
            #expect(referencePublic.columns.count == 97)
            #expect(referenceTenant.columns.count > 400)
            #expect(referenceTenant.indexes.isSuperset(of: []) && referenceTenant.indexes.count >= document.tenantIndexes.count)
            #expect(referencePublic.rows.count == 13 + 5 + 5)
            #expect(referenceTenant.rows.count == 5 + 33 + 5)
            let indexNames = Set(oursTenant.indexes.map { String($0.split(separator: " ")[1]) })
            #expect(indexNames.isSuperset(of: document.tenantIndexes))
        }
    }

    @Test func sampleDeleteFunctionIsNotInstalled() async throws {
        try await withTestDatabase { database in
            let rows = try await database.client.query("SELECT count(*)::int FROM pg_proc WHERE proname IN ('delete_tenant_data', 'create_tenant_schema')").collect()
            #expect(try rows.first?.decode(Int.self) == 0)
        }
    }
}
