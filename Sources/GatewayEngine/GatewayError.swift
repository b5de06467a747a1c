import AdapterKit

/// Engine errors with a stable machine code (the RPC's `data.code`) and a
/// message a person can act on.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case tenantNotFound = "tenant_not_found"
        case featureDisabled = "feature_disabled"
        case planLimit = "plan_limit"
        case credentialsInvalid = "credentials_invalid"
        case upstreamError = "upstream_error"
        case notFound = "not_found"
        case conflict = "conflict"
        case invalidRequest = "invalid_request"
    }

    public var code: Code
    public var message: String
    public var problems: [CredentialProblem]

    public init(_ code: Code, _ message: String, problems: [CredentialProblem] = []) {
        self.code = code
        self.message = message
        self.problems = problems
    }

    public var description: String {
        problems.isEmpty ? message : message + ": " + problems.map(\.description).joined(separator: "; ")
    }
}
