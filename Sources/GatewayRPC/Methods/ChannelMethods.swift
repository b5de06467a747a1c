import Foundation
import GatewayEngine
import GatewayStore
import JSONCore

enum ChannelMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("channels.connect") { params, _ in
            let connected = try await services.channels.connect(
                tenantSlug: try params.tenant(), code: try params.string("adapter"), name: try params.optionalString("name"),
                credentials: params["credentials"] ?? .null, settings: params["settings"] ?? .object(JSONObject()),
                webhookSecret: try params.optionalString("webhook_secret"),
                pullIntervalSeconds: try params.optionalInt("pull_interval_seconds"),
                testLive: try params.optionalBool("test_connection") ?? true)
            let tenant = try await services.channels.tenant(try params.tenant())
            guard let record = try await ChannelStore(database: services.database, vault: services.vault).get(tenant: tenant, id: connected.id) else {
                throw GatewayError(.notFound, "channel \(connected.id) vanished right after connecting")
            }
            return ["channel": channel(record, services)]
        }
        register("channels.update_credentials") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let id = try params.uuid("channel_id")
            try await services.channels.updateCredentials(tenantSlug: tenant.slug, channelID: id, credentials: params["credentials"] ?? .null,
                                                          webhookSecret: try params.optionalString("webhook_secret"),
                                                          testLive: try params.optionalBool("test_connection") ?? true)
            guard let record = try await ChannelStore(database: services.database, vault: services.vault).get(tenant: tenant, id: id) else {
                throw GatewayError(.notFound, "channel \(id) not found")
            }
            return ["channel": channel(record, services)]
        }
        register("channels.list") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let records = try await ChannelStore(database: services.database, vault: services.vault).list(tenant: tenant)
            return ["channels": .array(records.map { channel($0, services) })]
        }
        register("channels.disconnect") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let id = try params.uuid("channel_id")
            let store = ChannelStore(database: services.database, vault: services.vault)
            guard try await store.get(tenant: tenant, id: id) != nil else {
                throw GatewayError(.notFound, "channel \(id) not found in tenant \(tenant.slug)")
            }
            let changed = try await store.disconnect(tenant: tenant, id: id)
            return ["channel_id": ResultJSON.uuid(id), "disconnected": .bool(changed)]
        }
        register("channels.sync") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let channelID = try params.uuid("channel_id")
            // Take the channel's scheduler lease, so a manual pull never races a scheduled one.
            let jobs = JobStore(database: services.database)
            let lease = try await jobs.claim(owner: "rpc:\(UUID().uuidString.prefix(8))", limit: 1, lease: .seconds(300), kind: .channelPull,
                                             tenantSchema: tenant.schemaName, targetID: channelID, ignoringSchedule: true).first
            if lease == nil, let holder = try await jobs.leaseHolder(kind: .channelPull, tenantSchema: tenant.schemaName, targetID: channelID) {
                throw GatewayError(.conflict, "a pull of channel \(channelID) is already running (\(holder)); retry when it finishes")
            }
            let progress: OrderSync.Progress
            do {
                progress = try await services.sync.pull(tenant: tenant, channelID: channelID, lease: lease,
                                                        maxPages: try params.optionalInt("max_pages"))
            } catch {
                if let lease {
                    try? await jobs.finish(lease, OrderSync.isAuthenticationFailure(error)
                        ? .paused("authentication failed: \(error); update the channel's credentials to resume") : .failed("\(error)"))
                }
                throw error
            }
            if let lease {
                // A complete pull counts as the scheduled run; a partial one (max_pages) just gives the lease back.
                if progress.complete { try await jobs.finish(lease, .succeeded) } else { try await jobs.release(lease) }
            }
            return [
                "pages": ResultJSON.int(progress.pages), "orders": ResultJSON.int(progress.orders),
                "inserted": ResultJSON.int(progress.inserted), "updated": ResultJSON.int(progress.updated),
                "unchanged": ResultJSON.int(progress.unchanged), "status_changes": ResultJSON.int(progress.statusChanges),
                "complete": .bool(progress.complete),
            ]
        }
    }

    static func channel(_ record: ChannelConnectionRecord, _ services: GatewayServices) -> JSON {
        [
            "id": ResultJSON.uuid(record.id), "adapter": .string(record.code), "name": .string(record.name),
            "status": .string(record.status), "last_sync_at": ResultJSON.date(record.lastSyncAt),
            "sync_error": ResultJSON.string(record.syncError),
            "webhook_url": .string(services.webhookURL("/webhooks/channels/\(record.code)/\(record.id.uuidString.lowercased())")),
        ]
    }
}

enum OrderMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("orders.get") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let key: OrderQueries.Key
            if let id = try params.optionalUUID("order_id") {
                key = .id(id)
            } else if let channel = try params.optionalUUID("channel_id"), let external = try params.optionalString("external_order_id") {
                key = .external(channelID: channel, externalOrderID: external)
            } else {
                throw GatewayError(.invalidRequest, "give order_id, or channel_id with external_order_id")
            }
            guard let order = try await services.orders.get(schema: tenant.schemaName, key) else {
                throw GatewayError(.notFound, "order not found in tenant \(tenant.slug)")
            }
            return ["order": order]
        }
        register("orders.list") { params, _ in
            let tenant = try await services.channels.tenant(try params.tenant())
            let page = try await services.orders.list(schema: tenant.schemaName, channelID: try params.optionalUUID("channel_id"),
                                                      status: try params.optionalString("status"), limit: try params.optionalInt("limit") ?? 50,
                                                      before: try params.optionalString("before"))
            return ["orders": .array(page.orders), "next_before": ResultJSON.string(page.nextBefore)]
        }
    }
}
