import AdapterKit
import GatewayEngine
import GatewayStore
import JSONCore
import PostgresNIO

/// Engine errors as JSON-RPC application errors: one stable number and
/// `data.code` string per `GatewayError.Code`, as declared in
/// `components.errors` of contracts/rpc/openrpc.json.
enum ApplicationError {
    static func number(_ code: GatewayError.Code) -> Int {
        switch code {
        case .tenantNotFound: return -32001
        case .featureDisabled: return -32002
        case .planLimit: return -32003
        case .credentialsInvalid: return -32004
        case .upstreamError: return -32005
        case .notFound: return -32006
        case .conflict: return -32007
        case .invalidRequest: return -32008
        }
    }

    static let unavailable = -32009

    static func problems(_ problems: [CredentialProblem]) -> JSON {
        .array(problems.map { ["pointer": .string($0.pointer), "message": .string($0.message)] })
    }
}

extension GatewayError: RPCErrorConvertible {
    public var rpcError: RPCError {
        var extra = JSONObject()
        if code == .credentialsInvalid { extra["errors"] = ApplicationError.problems(problems) }
        return .application(code: ApplicationError.number(code), dataCode: code.rawValue, message: message, extra: extra)
    }
}

extension StoreError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .tenantNotFound: return GatewayError(.tenantNotFound, description).rpcError
        case .tenantExists: return GatewayError(.conflict, description).rpcError
        case .planNotFound: return GatewayError(.notFound, description).rpcError
        case .invalidInput: return GatewayError(.invalidRequest, description).rpcError
        default: return .application(code: ApplicationError.unavailable, dataCode: "unavailable", message: description, extra: JSONObject())
        }
    }
}

extension AdapterError: RPCErrorConvertible {
    public var rpcError: RPCError {
        switch self {
        case .unknownAdapter, .wrongKind: return GatewayError(.notFound, description).rpcError
        case .invalidCredentials(_, let errors): return GatewayError(.credentialsInvalid, description, problems: errors).rpcError
        case .unsupported, .unrecognizedPayload: return GatewayError(.invalidRequest, description).rpcError
        default: return GatewayError(.upstreamError, description).rpcError
        }
    }
}

extension PSQLError: RPCErrorConvertible {
    /// Connection-level failures mean "retry later"; anything else is ours (-32603, details only in the log).
    public var rpcError: RPCError {
        switch code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed:
            return .application(code: ApplicationError.unavailable, dataCode: "unavailable",
                                message: "the database is unreachable; retry later", extra: JSONObject())
        default:
            return .internalError
        }
    }
}
