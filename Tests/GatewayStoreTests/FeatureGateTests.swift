import Foundation
import GatewayStore
import PostgresNIO
import Testing
import TestSupport

@Suite("Feature gate")
struct FeatureGateTests {
    @Test func planFeaturesOverridesAndExpiry() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: "starter")
            let gate = FeatureGate(database: database)

            var entitlements = try await gate.entitlements(tenantID: tenant.id)
            #expect(entitlements.planCode == "starter")
            #expect(entitlements.isEnabled("ndr_management"))          // from the plan
            #expect(!entitlements.isEnabled("multi_channel"))          // not in starter
            #expect(entitlements.features["ndr_management"]?.source == "plan")
            #expect(entitlements.maxChannels == 1)
            #expect(entitlements.channelConnections["shopify"] == .some(1))
            #expect(entitlements.channelConnections["amazon"] == nil)

            try await gate.setOverride(tenantID: tenant.id, feature: "multi_channel", enabled: true, reason: "trial of multi-channel")
            try await gate.setOverride(tenantID: tenant.id, feature: "ndr_management", enabled: false, reason: "billing hold")
            entitlements = try await gate.entitlements(tenantID: tenant.id)
            #expect(entitlements.isEnabled("multi_channel"))
            #expect(entitlements.features["multi_channel"]?.source == "override")
            #expect(!entitlements.isEnabled("ndr_management"))

            try await gate.setOverride(tenantID: tenant.id, feature: "ndr_management", enabled: nil, reason: nil)
            #expect(try await gate.entitlements(tenantID: tenant.id).isEnabled("ndr_management"))

            // The subscription ends: plan features go, overrides stay.
            try await database.client.query("UPDATE public.subscriptions SET current_period_end = NOW() - INTERVAL '1 day' WHERE tenant_id = \(tenant.id)")
            entitlements = try await gate.entitlements(tenantID: tenant.id)
            #expect(entitlements.planCode == nil)
            #expect(!entitlements.isEnabled("ndr_management"))
            #expect(entitlements.isEnabled("multi_channel"))
            #expect(entitlements.maxChannels == 0)

            // An expired status counts as no subscription even inside the period.
            try await database.client.query("UPDATE public.subscriptions SET current_period_end = NOW() + INTERVAL '1 day', status = 'expired' WHERE tenant_id = \(tenant.id)")
            #expect(try await gate.entitlements(tenantID: tenant.id).planCode == nil)

            // A trial counts until trial_ends_at.
            try await database.client.query("UPDATE public.subscriptions SET status = 'trial', trial_ends_at = NOW() + INTERVAL '1 hour' WHERE tenant_id = \(tenant.id)")
            #expect(try await gate.entitlements(tenantID: tenant.id).isEnabled("ndr_management"))
            try await database.client.query("UPDATE public.subscriptions SET trial_ends_at = NOW() - INTERVAL '1 hour' WHERE tenant_id = \(tenant.id)")
            #expect(try await !gate.entitlements(tenantID: tenant.id).isEnabled("ndr_management"))
        }
    }

    @Test func enterpriseIsUnlimited() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "bigco", name: "BigCo", planCode: "enterprise")
            let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
            #expect(entitlements.maxChannels == nil)
            #expect(entitlements.channelConnections["amazon"] == .some(nil))
            #expect(entitlements.enabledFeatures.count == 13)
        }
    }

    @Test func unknownFeatureOverrideIsAClearError() async throws {
        try await withTestDatabase { database in
            let tenant = try await TenantStore(database: database).create(slug: "acme", name: "Acme", planCode: nil)
            await #expect(throws: StoreError.invalidInput("unknown feature 'teleport'")) {
                try await FeatureGate(database: database).setOverride(tenantID: tenant.id, feature: "teleport", enabled: true, reason: nil)
            }
        }
    }
}
