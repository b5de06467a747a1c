import Foundation
import GatewayEngine
import GatewayModel
import GatewayStore
import JSONCore

enum CourierMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("couriers.connect") { params, _ in
            let courier = try await services.couriers.connect(
                tenantSlug: try params.tenant(), code: try params.string("adapter"), name: try params.optionalString("name"),
                credentials: params["credentials"] ?? .null, settings: params["settings"] ?? .object(JSONObject()),
                isDefault: try params.optionalBool("is_default") ?? false, webhookSecret: try params.optionalString("webhook_secret"),
                pollIntervalSeconds: try params.optionalInt("poll_interval_seconds"),
                testLive: try params.optionalBool("test_connection") ?? true)
            return ["courier": try courierJSON(courier, services)]
        }
        register("couriers.list") { params, _ in
            let couriers = try await services.couriers.list(tenantSlug: try params.tenant())
            return ["couriers": .array(try couriers.map { try courierJSON($0, services) })]
        }
    }

    static func courierJSON(_ courier: CourierService.Courier, _ services: GatewayServices) throws -> JSON {
        guard case .object(var object) = try ResultJSON.encode(courier) else { return .null }
        object["webhook_url"] = .string(services.webhookURL(courier.webhookPath))
        return .object(object)
    }
}

enum ShipmentMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("shipments.quote") { params, _ in
            let pickup = try params.optionalString("pickup_pincode")
            let orderID = try params.optionalUUID("order_id")
            guard pickup != nil else { throw GatewayError(.invalidRequest, "pickup_pincode is required") }
            guard orderID != nil || params["delivery_pincode"] != nil else {
                throw GatewayError(.invalidRequest, "give order_id or delivery_pincode")
            }
            let request = ShipmentService.QuoteRequest(
                orderID: orderID, pickupPostalCode: pickup ?? "", deliveryPostalCode: try params.optionalString("delivery_pincode"),
                weightGrams: try params.optionalInt("weight_grams") ?? 0,
                codAmount: try params.optionalString("cod_amount").flatMap(Money.init(string:)))
            return try ResultJSON.encode(try await services.shipments.quote(tenantSlug: try params.tenant(), request))
        }
        register("shipments.create") { params, _ in
            guard let package = params["package"] else { throw RPCError.invalidParams("missing parameter 'package'") }
            let pickup = try await pickupAddress(params, services)
            let booked = try await services.shipments.create(
                tenantSlug: try params.tenant(), orderID: try params.uuid("order_id"), courierID: try params.optionalUUID("courier_id"),
                idempotencyKey: try params.string("idempotency_key"),
                package: ShipmentService.Package(weightGrams: package["weight_grams"]?.numberValue?.intValue ?? 0,
                                                 lengthCM: package["length_cm"]?.numberValue?.intValue,
                                                 widthCM: package["width_cm"]?.numberValue?.intValue,
                                                 heightCM: package["height_cm"]?.numberValue?.intValue),
                pickupAddress: pickup)
            return try ResultJSON.encode(booked)
        }
        register("shipments.label") { params, _ in
            try ResultJSON.encode(try await services.shipments.label(tenantSlug: try params.tenant(), shipmentID: try params.uuid("shipment_id"),
                                                                     regenerate: try params.optionalBool("regenerate") ?? false))
        }
        register("shipments.cancel") { params, _ in
            try ResultJSON.encode(try await services.shipments.cancel(tenantSlug: try params.tenant(), shipmentID: try params.uuid("shipment_id")))
        }
        register("shipments.track") { params, _ in
            let reference: ShipmentService.Reference
            if let id = try params.optionalUUID("shipment_id") {
                reference = .id(id)
            } else if let awb = try params.optionalString("awb") {
                reference = .awb(awb)
            } else {
                throw GatewayError(.invalidRequest, "give shipment_id or awb")
            }
            return try ResultJSON.encode(try await services.shipments.track(tenantSlug: try params.tenant(), reference,
                                                                            refresh: try params.optionalBool("refresh") ?? false))
        }
    }
}

extension ShipmentMethods {
    /// The caller's pickup address, else the courier configuration's `settings.pickup_address`.
    static func pickupAddress(_ params: Params, _ services: GatewayServices) async throws -> Address {
        var source = params["pickup_address"]
        if source == nil {
            let tenant = try await services.channels.tenant(try params.tenant())
            let store = CourierStore(database: services.database, vault: services.vault)
            let courier: CourierConnectionRecord?
            if let id = try params.optionalUUID("courier_id") {
                courier = try await store.get(tenant: tenant, id: id)
            } else {
                courier = try await store.defaultCourier(tenant: tenant)
            }
            source = courier?.settings["pickup_address"]
        }
        guard let source else {
            throw GatewayError(.invalidRequest, "pickup_address is required (or set settings.pickup_address on the courier configuration)")
        }
        do {
            return try JSONDecoder().decode(Address.self, from: Data(source.serialized().utf8))
        } catch {
            throw RPCError.invalidParams("pickup_address is not an address: \(error)")
        }
    }
}

enum NDRMethods {
    static func register(into register: Register, _ services: GatewayServices) {
        register("ndr.list") { params, _ in
            let cases = try await services.ndr.list(tenantSlug: try params.tenant(), status: try params.optionalString("status"),
                                                    limit: try params.optionalInt("limit") ?? 100)
            return ["ndr": .array(try cases.map(ResultJSON.encode))]
        }
        register("ndr.action") { params, _ in
            let actionName = try params.string("action")
            guard let action = NDRActionType(rawValue: actionName), action.isCourierAction else {
                throw RPCError.invalidParams("unknown action '\(actionName)' (reattempt, change_address, change_phone, rto)")
            }
            var payload = NDRService.ActionPayload()
            if let address = params["address"] {
                payload.newAddress = try JSONDecoder().decode(Address.self, from: Data(address.serialized().utf8))
            }
            payload.newPhone = try params.optionalString("phone")
            if let date = try params.optionalString("preferred_date") {
                guard let day = CalendarDate(string: date) else { throw RPCError.invalidParams("preferred_date must be YYYY-MM-DD") }
                payload.preferredDate = day
            }
            payload.remarks = try params.optionalString("remarks")
            let result = try await services.ndr.action(tenantSlug: try params.tenant(), ndrID: try params.uuid("ndr_id"), action: action,
                                                       payload: payload, performedBy: try params.optionalUUID("performed_by"))
            return try ResultJSON.encode(result)
        }
    }
}
