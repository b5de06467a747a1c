import JSONCore

/// A JSON-RPC 2.0 error object. Handlers throw it to answer with a specific
/// error; anything else they throw becomes a generic -32603 (see `RPCErrorConvertible`).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// `data.code` of an application error, the stable string clients switch on.
    public var dataCode: String? { data?["code"]?.stringValue }

    public var description: String {
        var text = "JSON-RPC error \(code): \(message)"
        if let data { text += " \(data.serialized())" }
        return text
    }

    // MARK: Standard errors (JSON-RPC 2.0 section 5.1)

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603

    public static func parseError(_ detail: String? = nil) -> RPCError {
        RPCError(code: parseErrorCode, message: detail.map { "Parse error: \($0)" } ?? "Parse error")
    }

    public static func invalidRequest(_ detail: String? = nil) -> RPCError {
        RPCError(code: invalidRequestCode, message: detail.map { "Invalid Request: \($0)" } ?? "Invalid Request")
    }

    public static func methodNotFound(_ name: String) -> RPCError {
        RPCError(code: methodNotFoundCode, message: "Method not found: \(name)", data: .object(["method": .string(name)]))
    }

    public static func invalidParams(_ message: String, data: JSON? = nil) -> RPCError {
        RPCError(code: invalidParamsCode, message: "Invalid params: \(message)", data: data)
    }

    /// The generic internal error: its message never carries the underlying cause.
    public static let internalError = RPCError(code: internalErrorCode, message: "Internal error")

    // MARK: Application errors (-32000...-32099)

    public static let applicationCodes = -32099 ... -32000

    /// An application error whose `data` is `{"code": dataCode, ...extra}`.
    /// A `code` outside -32099...-32000 is replaced by -32000 so the range stays reserved.
    public static func application(code: Int = -32000, dataCode: String, message: String, extra: JSONObject = [:]) -> RPCError {
        var data = JSONObject()
        data["code"] = .string(dataCode)
        for (key, value) in extra where key != "code" { data[key] = value }
        return RPCError(code: applicationCodes.contains(code) ? code : -32000, message: message, data: .object(data))
    }

    /// The answer to a peer whose uid is not in the allow list.
    public static func forbidden(_ message: String) -> RPCError {
        application(code: -32000, dataCode: "forbidden", message: message)
    }
}

/// Errors that know their JSON-RPC form (the engine's errors adopt this).
/// Any other non-`RPCError` thrown by a handler becomes -32603 without detail.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}
