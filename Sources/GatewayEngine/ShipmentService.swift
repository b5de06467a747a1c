import AdapterKit
import Crypto
import Foundation
import GatewayModel
import GatewayStore
import JSONCore
import Logging
import PostgresNIO

/// Booking shipments with couriers (AWB + label), idempotently: a retry with
/// the same key returns the same AWB and never books twice, even when the
/// retries race each other.
public struct ShipmentService: Sendable {
    public struct Package: Sendable {
        public var weightGrams: Int
        public var lengthCM: Int?
        public var widthCM: Int?
        public var heightCM: Int?

        public init(weightGrams: Int, lengthCM: Int? = nil, widthCM: Int? = nil, heightCM: Int? = nil) {
            self.weightGrams = weightGrams
            self.lengthCM = lengthCM
            self.widthCM = widthCM
            self.heightCM = heightCM
        }
    }

    public struct Booked: Sendable, Codable, Equatable {
        public var shipmentID: UUID
        public var shipmentNumber: String
        public var awb: String
        public var labelURL: String?
        public var trackingURL: String?
        public var courier: String
        public var status: String
        public var shippingCharges: String?
        public var codAmount: String?

        enum CodingKeys: String, CodingKey {
            case awb, courier, status
            case shipmentID = "shipment_id"
            case shipmentNumber = "shipment_number"
            case labelURL = "label_url"
            case trackingURL = "tracking_url"
            case shippingCharges = "shipping_charges"
            case codAmount = "cod_amount"
        }
    }

    public let database: GatewayDatabase
    public let registry: AdapterRegistry
    public let vault: CredentialVault
    /// A pending key older than this is taken over (its booking process died).
    public var staleAfter: Duration = .seconds(120)

    public init(database: GatewayDatabase, registry: AdapterRegistry, vault: CredentialVault) {
        self.database = database
        self.registry = registry
        self.vault = vault
    }

    public func create(tenantSlug: String, orderID: UUID, courierID: UUID?, idempotencyKey: String, package: Package,
                       pickupAddress: Address) async throws -> Booked {
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= 200 else {
            throw GatewayError(.invalidRequest, "idempotency key must be 1 to 200 characters")
        }
        guard package.weightGrams > 0 else { throw GatewayError(.invalidRequest, "package weight must be positive") }
        let tenant = try await ChannelService(database: database, registry: registry, vault: vault).tenant(tenantSlug)
        let entitlements = try await FeatureGate(database: database).entitlements(tenantID: tenant.id)
        guard entitlements.isEnabled("shipment_management") else {
            throw GatewayError(.featureDisabled, "creating shipments needs the shipment_management feature")
        }
        let couriers = CourierStore(database: database, vault: vault)
        let courier: CourierConnectionRecord
        if let courierID {
            guard let found = try await couriers.get(tenant: tenant, id: courierID), found.isActive else {
                throw GatewayError(.notFound, "courier configuration \(courierID) not found or inactive")
            }
            courier = found
        } else {
            guard let found = try await couriers.defaultCourier(tenant: tenant) else {
                throw GatewayError(.notFound, "tenant \(tenant.slug) has no active courier; connect one first")
            }
            courier = found
        }
        let requestHash = Self.hash("\(orderID)|\(courier.id)|\(pickupAddress.postalCode)|\(package.weightGrams)|\(package.lengthCM ?? 0)x\(package.widthCM ?? 0)x\(package.heightCM ?? 0)")
        // Deterministic per key: the courier sees the same reference on every retry.
        let shipmentNumber = "SHP-" + Self.hash(tenant.schemaName + "|" + idempotencyKey).prefix(12).uppercased()

        switch try await claimKey(idempotencyKey, requestHash: requestHash, schema: tenant.schemaName) {
        case .done(let booked): return booked
        case .proceed: break
        }
        do {
            let order = try await loadOrder(orderID, schema: tenant.schemaName)
            let cod = order.order.paymentStatus == .cod || order.order.paymentMethod == .cod ? order.order.totalAmount : nil
            let adapter = try registry.courier(courier.code)
            let connection = Connection(id: courier.id, tenant: tenant.slug, adapterCode: courier.code, credentials: courier.credentials, settings: courier.settings)
            let dims = package.lengthCM.flatMap { l in package.widthCM.flatMap { w in package.heightCM.map { h in (length: l, width: w, height: h) } } }
            let created: CreatedShipment
            do {
                created = try await adapter.createShipment(connection, ShipmentRequest(
                    order: order.order, shipmentNumber: shipmentNumber, pickupAddress: pickupAddress, weightGrams: package.weightGrams,
                    dimensionsCM: dims, codAmount: cod))
            } catch {
                throw GatewayError(.upstreamError, "\(courier.name) did not book the shipment: \(error)")
            }
            let booked = try await record(created, key: idempotencyKey, number: shipmentNumber, order: order, courier: courier,
                                          package: package, pickup: pickupAddress, cod: cod, schema: tenant.schemaName)
            return booked
        } catch {
            // Let a later retry try again; nothing was booked (or the courier dedupes on the shipment number).
            _ = try? await database.withTenantTransaction(schema: tenant.schemaName) { db in
                try await db.query("DELETE FROM gateway_idempotency_keys WHERE key = \(idempotencyKey) AND state = 'pending'", logger: database.logger)
            }
            throw error
        }
    }

    enum Claim { case proceed, done(Booked) }

    /// Inserts the key as pending, or waits for the racing request that did.
    func claimKey(_ key: String, requestHash: String, schema: String) async throws -> Claim {
        let deadline = ContinuousClock.now + .seconds(60)
        let stale = Double(staleAfter.components.seconds)
        while true {
            let state = try await database.withTenantTransaction(schema: schema) { db -> (inserted: Bool, hash: String?, state: String?, response: String?, stale: Bool) in
                let inserted = try await db.query("""
                    INSERT INTO gateway_idempotency_keys (key, operation, request_hash) VALUES (\(key), 'shipments.create', \(requestHash))
                    ON CONFLICT (key) DO NOTHING RETURNING key
                    """, logger: database.logger).collect()
                if !inserted.isEmpty { return (true, nil, nil, nil, false) }
                let row = try await db.query("""
                    SELECT request_hash, state, response::text, updated_at < NOW() - make_interval(secs => \(stale)) FROM gateway_idempotency_keys WHERE key = \(key) FOR UPDATE
                    """, logger: database.logger).collect().first?.decode((String, String, String?, Bool).self)
                if let row, row.1 == "pending", row.3 {
                    try await db.query("UPDATE gateway_idempotency_keys SET updated_at = NOW() WHERE key = \(key)", logger: database.logger)
                    return (true, row.0, row.1, row.2, true)
                }
                return (false, row?.0, row?.1, row?.2, false)
            }
            if state.inserted { return .proceed }
            if let hash = state.hash, hash != requestHash {
                throw GatewayError(.conflict, "idempotency key '\(key)' was used for a different request")
            }
            if state.state == "done", let response = state.response {
                return .done(try JSONDecoder().decode(Booked.self, from: Data(response.utf8)))
            }
            guard ContinuousClock.now < deadline else {
                throw GatewayError(.conflict, "a request with idempotency key '\(key)' is still in progress; retry later")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    struct LoadedOrder {
        var order: UnifiedOrder
        var id: UUID
        var items: [(id: UUID, quantity: Int)]
        var shippingAddress: String
    }

    func loadOrder(_ orderID: UUID, schema: String) async throws -> LoadedOrder {
        try await database.withTenantTransaction(schema: schema) { db in
            guard let row = try await db.query("""
                SELECT order_number, external_order_id, status, payment_status, fulfillment_status, customer_name, customer_email, customer_phone,
                       shipping_address::text, subtotal::text, discount_amount::text, tax_amount::text, shipping_amount::text, total_amount::text,
                       currency, payment_method, order_date
                FROM orders WHERE id = \(orderID)
                """, logger: database.logger).collect().first else {
                throw GatewayError(.notFound, "order \(orderID) not found")
            }
            let r = try row.decode((String, String, String, String, String, String, String?, String?, String, String, String?, String?, String?, String, String, String?, Date).self)
            let address = try JSONDecoder().decode(Address.self, from: Data(r.8.utf8))
            var items: [(UUID, Int)] = []
            var unified: [UnifiedOrderItem] = []
            for try await (id, sku, name, quantity, price, total) in try await db.query(
                "SELECT id, sku, name, quantity, unit_price::text, total_amount::text FROM order_items WHERE order_id = \(orderID) ORDER BY created_at, id",
                logger: database.logger).decode((UUID, String?, String, Int, String, String).self) {
                items.append((id, quantity))
                unified.append(UnifiedOrderItem(sku: sku, name: name, quantity: quantity, unitPrice: Money(string: price) ?? .zero,
                                                totalAmount: Money(string: total) ?? .zero))
            }
            let order = UnifiedOrder(
                orderNumber: r.0, externalOrderId: r.1, status: OrderStatus(rawValue: r.2) ?? .pending,
                paymentStatus: PaymentStatus(rawValue: r.3) ?? .pending, fulfillmentStatus: FulfillmentStatus(rawValue: r.4) ?? .unfulfilled,
                customerName: r.5, customerEmail: r.6, customerPhone: r.7, shippingAddress: address, billingAddress: nil,
                subtotal: Money(string: r.9) ?? .zero, discountAmount: r.10.flatMap { Money(string: $0) } ?? .zero,
                taxAmount: r.11.flatMap { Money(string: $0) } ?? .zero, shippingAmount: r.12.flatMap { Money(string: $0) } ?? .zero,
                totalAmount: Money(string: r.13) ?? .zero, currency: r.14, paymentMethod: r.15.flatMap(PaymentMethod.init(rawValue:)),
                paymentGateway: nil, paymentReference: nil, orderDate: r.16, confirmedAt: nil, notes: nil, tags: [], metadata: JSONObject(), items: unified)
            return LoadedOrder(order: order, id: orderID, items: items, shippingAddress: r.8)
        }
    }

    func record(_ created: CreatedShipment, key: String, number: String, order: LoadedOrder, courier: CourierConnectionRecord,
                package: Package, pickup: Address, cod: Money?, schema: String) async throws -> Booked {
        let dims: JSON? = package.lengthCM.map { ["length": .number(JSONNumber($0)), "width": .number(JSONNumber(package.widthCM ?? 0)),
                                                   "height": .number(JSONNumber(package.heightCM ?? 0)), "unit": "cm"] }
        let pickupText = String(decoding: try JSONEncoder().encode(pickup), as: UTF8.self)
        let booked = try await database.withTenantTransaction(schema: schema) { db in
            let id = try await db.query("""
                INSERT INTO shipments (shipment_number, order_id, courier_config_id, awb_number, tracking_url, label_url, status, weight_grams,
                    dimensions, pickup_address, delivery_address, shipping_charges, cod_amount, external_shipment_id, external_order_id, metadata)
                VALUES (\(number), \(order.id), \(courier.id), \(created.awb), \(created.trackingURL), \(created.labelURL), 'manifested',
                    \(package.weightGrams), \(dims?.serialized())::jsonb, \(pickupText)::jsonb, \(order.shippingAddress)::jsonb,
                    \(created.charges?.stringValue)::numeric, \(cod?.stringValue)::numeric, \(created.externalShipmentID), \(created.externalOrderID),
                    jsonb_build_object('idempotency_key', \(key)::text))
                RETURNING id
                """, logger: database.logger).collect().first?.decode(UUID.self)
            guard let id else { throw GatewayError(.conflict, "shipment insert returned nothing") }
            for item in order.items {
                try await db.query("INSERT INTO shipment_items (shipment_id, order_item_id, quantity) VALUES (\(id), \(item.id), \(item.quantity))",
                                   logger: database.logger)
            }
            let booked = Booked(shipmentID: id, shipmentNumber: number, awb: created.awb, labelURL: created.labelURL, trackingURL: created.trackingURL,
                                courier: courier.code, status: "manifested", shippingCharges: created.charges?.stringValue, codAmount: cod?.stringValue)
            let response = String(decoding: try JSONEncoder().encode(booked), as: UTF8.self)
            try await db.query("""
                UPDATE gateway_idempotency_keys SET state = 'done', shipment_id = \(id), response = \(response)::jsonb, updated_at = NOW() WHERE key = \(key)
                """, logger: database.logger)
            try await db.query("""
                UPDATE orders SET status = CASE WHEN status IN ('pending', 'confirmed') THEN 'processing' ELSE status END, updated_at = NOW() WHERE id = \(order.id)
                """, logger: database.logger)
            return booked
        }
        database.logger.info("shipment booked", metadata: ["awb": "\(booked.awb)", "courier": "\(courier.code)", "shipment": "\(booked.shipmentID)"])
        return booked
    }

    static func hash(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
