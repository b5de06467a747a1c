import JSONCore
import JSONSchema

/// contracts/rpc/openrpc.json, compiled into the binary: `rpc.discover`
/// returns it, and every call's params are checked against its method's
/// schemas before a handler runs, so handlers never see a shape the
/// contract forbids and errors name the failing field by JSON pointer.
public struct RPCContract: Sendable {
    public let document: JSON
    public let methodNames: [String]
    let paramValidators: [String: CompiledSchema]
    let resultValidators: [String: CompiledSchema]

    public static func load() throws -> RPCContract {
        try RPCContract(bytes: PackageResources.openrpc_json)
    }

    public init(bytes: [UInt8]) throws {
        let document = try JSON.parse(bytes)
        guard let methods = document["methods"]?.arrayValue else { throw ContractError("openrpc.json has no methods array") }
        let components = document["components"] ?? .object(JSONObject())
        var names: [String] = []
        var params: [String: CompiledSchema] = [:]
        var results: [String: CompiledSchema] = [:]
        for method in methods {
            guard let name = method["name"]?.stringValue else { throw ContractError("a method has no name") }
            names.append(name)
            var properties = JSONObject()
            var required: [JSON] = []
            for param in method["params"]?.arrayValue ?? [] {
                guard let paramName = param["name"]?.stringValue else { throw ContractError("\(name): a parameter has no name") }
                properties[paramName] = param["schema"] ?? .object(JSONObject())
                if param["required"]?.boolValue == true { required.append(.string(paramName)) }
            }
            let paramsSchema: JSON = ["type": "object", "properties": .object(properties), "required": .array(required),
                                      "additionalProperties": false]
            params[name] = try Self.compile(paramsSchema, components: components, method: name)
            if let result = method["result"]?["schema"] {
                results[name] = try Self.compile(result, components: components, method: name)
            }
        }
        self.document = document
        self.methodNames = names
        self.paramValidators = params
        self.resultValidators = results
    }

    /// A root that carries `components`, so `#/components/schemas/…` refs resolve.
    static func compile(_ schema: JSON, components: JSON, method: String) throws -> CompiledSchema {
        let root: JSON = ["$schema": "https://json-schema.org/draft/2020-12/schema", "components": components, "allOf": [schema]]
        do {
            return try CompiledSchema(root)
        } catch {
            throw ContractError("\(method): schema does not compile: \(error)")
        }
    }

    /// Problems with `params` (absent params count as `{}`).
    public func checkParams(_ method: String, _ params: JSON?) -> [ValidationError] {
        guard let validator = paramValidators[method] else { return [] }
        let value: JSON = params.flatMap { $0.isNull ? nil : $0 } ?? .object(JSONObject())
        return validator.validate(value)
    }

    /// Problems with a result (tests hold every response to the contract).
    public func checkResult(_ method: String, _ result: JSON) -> [ValidationError] {
        resultValidators[method]?.validate(result) ?? []
    }

    public struct ContractError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
