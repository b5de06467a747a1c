import Foundation
import GatewayModel
import JSONCore

/// By-name parameters, already checked against the method's schema in
/// `contracts/rpc/openrpc.json`; these accessors only convert, and still
/// answer -32602 rather than trap if the contract and the code ever drift.
struct Params: Sendable {
    let object: JSONObject

    init(_ params: JSON?) throws(RPCError) {
        switch params {
        case nil, .null?: object = JSONObject()
        case .object(let object)?: self.object = object
        default: throw RPCError.invalidParams("params must be an object (by-name)")
        }
    }

    subscript(name: String) -> JSON? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func string(_ name: String) throws(RPCError) -> String {
        guard let value = try optionalString(name) else { throw RPCError.invalidParams("missing parameter '\(name)'") }
        return value
    }

    func optionalString(_ name: String) throws(RPCError) -> String? {
        guard let value = self[name] else { return nil }
        guard let text = value.stringValue else { throw RPCError.invalidParams("parameter '\(name)' must be a string") }
        return text
    }

    func uuid(_ name: String) throws(RPCError) -> UUID {
        guard let value = try optionalUUID(name) else { throw RPCError.invalidParams("missing parameter '\(name)'") }
        return value
    }

    func optionalUUID(_ name: String) throws(RPCError) -> UUID? {
        guard let text = try optionalString(name) else { return nil }
        guard let id = UUID(uuidString: text) else { throw RPCError.invalidParams("parameter '\(name)' must be a UUID") }
        return id
    }

    func optionalInt(_ name: String) throws(RPCError) -> Int? {
        guard let value = self[name] else { return nil }
        guard let int = value.numberValue?.intValue else { throw RPCError.invalidParams("parameter '\(name)' must be an integer") }
        return int
    }

    func optionalBool(_ name: String) throws(RPCError) -> Bool? {
        guard let value = self[name] else { return nil }
        guard let bool = value.boolValue else { throw RPCError.invalidParams("parameter '\(name)' must be a boolean") }
        return bool
    }

    func tenant() throws(RPCError) -> String { try string("tenant") }
}

/// Results are built as JSON directly: the contract, not Codable defaults, decides their shape.
enum ResultJSON {
    static func string(_ value: String?) -> JSON { value.map(JSON.string) ?? .null }
    static func uuid(_ value: UUID?) -> JSON { value.map { .string($0.uuidString.lowercased()) } ?? .null }
    static func date(_ value: Date?) -> JSON { value.map { .string(DateCoding.format($0)) } ?? .null }
    static func int(_ value: Int) -> JSON { .number(JSONNumber(value)) }
    static func money(_ value: Money?) -> JSON { value.map { .string($0.stringValue) } ?? .null }

    /// Codable values through the project's JSON type. Foundation writes
    /// UUIDs upper-case; the RPC writes every id lower-case, as PostgreSQL does.
    static func encode<T: Encodable>(_ value: T) throws -> JSON {
        lowercasingUUIDs(try JSON.parse(Array(try JSONEncoder().encode(value))))
    }

    static func lowercasingUUIDs(_ value: JSON) -> JSON {
        switch value {
        case .string(let text) where text.utf8.count == 36 && UUID(uuidString: text) != nil:
            return .string(text.lowercased())
        case .array(let items):
            return .array(items.map(lowercasingUUIDs))
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, lowercasingUUIDs($0.value)) }))
        default:
            return value
        }
    }
}
