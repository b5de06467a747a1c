import JSONCore
import JSONSchema
import Logging

/// One registered provider: its manifest, its compiled credential schema and
/// how to make an adapter for it.
public struct AdapterRegistration: Sendable {
    public enum Factory: Sendable {
        case channel(@Sendable (AdapterContext) -> any ChannelAdapter)
        case courier(@Sendable (AdapterContext) -> any CourierAdapter)
    }

    public let manifest: AdapterManifest
    public let credentialSchema: CompiledSchema
    let factory: Factory

}

/// A catalog line before its manifest is parsed.
public struct PendingRegistration: Sendable {
    let manifestJSON: [UInt8]
    let typeName: String
    let factory: AdapterRegistration.Factory

    public static func channel<A: ChannelAdapter>(_ type: A.Type) -> PendingRegistration {
        PendingRegistration(manifestJSON: A.manifestJSON, typeName: String(describing: type), factory: .channel { A(context: $0) })
    }

    public static func courier<A: CourierAdapter>(_ type: A.Type) -> PendingRegistration {
        PendingRegistration(manifestJSON: A.manifestJSON, typeName: String(describing: type), factory: .courier { A(context: $0) })
    }
}

/// The plugin point: every adapter the gateway knows, by code. Built once
/// from the catalog; every manifest problem is reported together.
public struct AdapterRegistry: Sendable {
    public let registrations: [String: AdapterRegistration]
    /// Base-URL overrides per adapter code (mock servers, sandboxes).
    public var baseURLOverrides: [String: String] = [:]
    public var logger = Logger(label: "gateway.adapters")
    /// The outbound HTTP transport every adapter context gets; the runtime
    /// sets its own (and shuts it down), tests inject one with a fake clock.
    public var transport: HTTPTransport = .shared

    public init(_ catalog: [PendingRegistration]) throws(RegistryError) {
        var registrations: [String: AdapterRegistration] = [:]
        var problems: [String] = []
        for entry in catalog {
            do {
                let manifest = try AdapterManifest(bytes: entry.manifestJSON)
                let kindMatches: Bool
                switch entry.factory {
                case .channel: kindMatches = manifest.kind == .channel
                case .courier: kindMatches = manifest.kind == .courier
                }
                guard kindMatches else {
                    problems.append("\(entry.typeName): manifest kind \(manifest.kind.rawValue) does not match the adapter protocol")
                    continue
                }
                guard registrations[manifest.code] == nil else {
                    problems.append("\(entry.typeName): adapter code '\(manifest.code)' registered twice")
                    continue
                }
                let schema = try CompiledSchema(manifest.configSchema)
                registrations[manifest.code] = AdapterRegistration(manifest: manifest, credentialSchema: schema, factory: entry.factory)
            } catch {
                problems.append("\(entry.typeName): \(error)")
            }
        }
        guard problems.isEmpty else { throw RegistryError(problems: problems) }
        self.registrations = registrations
    }

    /// Sorted: channels first, then couriers, each by code.
    public var manifests: [AdapterManifest] {
        registrations.values.map(\.manifest).sorted { ($0.kind == .channel ? 0 : 1, $0.code) < ($1.kind == .channel ? 0 : 1, $1.code) }
    }

    public func manifest(_ code: String) throws(AdapterError) -> AdapterManifest {
        guard let registration = registrations[code] else { throw AdapterError.unknownAdapter(code) }
        return registration.manifest
    }

    public func channel(_ code: String) throws(AdapterError) -> any ChannelAdapter {
        guard let registration = registrations[code] else { throw AdapterError.unknownAdapter(code) }
        guard case .channel(let make) = registration.factory else { throw AdapterError.wrongKind(code: code, expected: .channel) }
        return make(context(for: registration))
    }

    public func courier(_ code: String) throws(AdapterError) -> any CourierAdapter {
        guard let registration = registrations[code] else { throw AdapterError.unknownAdapter(code) }
        guard case .courier(let make) = registration.factory else { throw AdapterError.wrongKind(code: code, expected: .courier) }
        return make(context(for: registration))
    }

    /// Checks credentials against the adapter's `config_schema`; every
    /// failing field is named by its JSON pointer.
    public func checkCredentials(_ code: String, _ credentials: JSON) throws(AdapterError) -> [CredentialProblem] {
        guard let registration = registrations[code] else { throw AdapterError.unknownAdapter(code) }
        return registration.credentialSchema.validate(credentials).map { CredentialProblem(pointer: $0.instancePointer, message: $0.message) }
    }

    /// Throws `invalidCredentials` unless the credentials satisfy the schema.
    public func requireValidCredentials(_ code: String, _ credentials: JSON) throws(AdapterError) {
        let problems = try checkCredentials(code, credentials)
        if !problems.isEmpty { throw AdapterError.invalidCredentials(code: code, errors: problems) }
    }

    private func context(for registration: AdapterRegistration) -> AdapterContext {
        var logger = self.logger
        logger[metadataKey: "adapter"] = "\(registration.manifest.code)"
        return AdapterContext(manifest: registration.manifest, logger: logger, baseURLOverride: baseURLOverrides[registration.manifest.code],
                              transport: transport)
    }
}

public struct CredentialProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    public var pointer: String
    public var message: String

    public init(pointer: String, message: String) {
        self.pointer = pointer
        self.message = message
    }

    /// `<json-pointer>: <message>`, the CLI's line format.
    public var description: String { "\(pointer): \(message)" }
}

public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "adapter catalog: " + problems.joined(separator: "; ") }
}
