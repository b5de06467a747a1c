import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// A 256-bit AES-GCM key with a stable id derived from the key itself, so a
/// sealed secret names the key that opens it (rotation keeps old keys for reads).
public struct MasterKey: Sendable {
    public let id: String
    // Raw bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let raw: Data
    var key: SymmetricKey { SymmetricKey(data: raw) }

    public init(rawKey: Data) throws {
        guard rawKey.count == 32 else {
            throw VaultError.badKey("the master key must be 32 bytes (base64 of 32 random bytes), got \(rawKey.count)")
        }
        raw = rawKey
        id = "k1-" + SHA256.hash(data: rawKey).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    public init(base64: String) throws {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw VaultError.badKey("the master key is not valid base64")
        }
        try self.init(rawKey: data)
    }

    public static func generate() -> MasterKey {
        // SymmetricKey(size:) draws from the system CSPRNG; 32 bytes never fails init.
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return MasterKey(uncheckedRawKey: bytes)
    }

    private init(uncheckedRawKey rawKey: Data) {
        raw = rawKey
        id = "k1-" + SHA256.hash(data: rawKey).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    var base64: String { raw.base64EncodedString() }
}

public enum VaultError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case badKey(String)
    case unknownKey(String)
    case malformedEnvelope(String)
    case authenticationFailed
    case keyFile(String)

    public var description: String {
        switch self {
        case .badKey(let why): return "credential key: \(why)"
        case .unknownKey(let id): return "credentials were sealed with key \(id), which is not configured (GATEWAY_MASTER_KEY / GATEWAY_PREVIOUS_MASTER_KEYS)"
        case .malformedEnvelope(let why): return "sealed credentials are malformed: \(why)"
        case .authenticationFailed: return "sealed credentials failed authentication: wrong key, wrong context or tampered ciphertext"
        case .keyFile(let why): return "credential key file: \(why)"
        }
    }

    public var errorDescription: String? { description }
}

/// What is stored in a `credentials` JSONB column: never the plaintext.
public struct SealedSecret: Codable, Sendable, Equatable {
    public var v: Int
    public var alg: String
    public var kid: String
    /// base64 of nonce ‖ ciphertext ‖ tag (AES.GCM.SealedBox.combined)
    public var box: String
}

/// Encrypts credential JSON at rest with AES-256-GCM. The `context` (e.g.
/// "tenant_acme/sales_channels/<id>") is authenticated data, so a sealed
/// value copied to another tenant or row does not open.
public struct CredentialVault: Sendable {
    public let current: MasterKey
    private let byId: [String: MasterKey]

    public init(current: MasterKey, previous: [MasterKey] = []) {
        self.current = current
        var keys: [String: MasterKey] = [:]
        for key in previous + [current] { keys[key.id] = key }
        byId = keys
    }

    public func seal(_ plaintext: Data, context: String) throws -> SealedSecret {
        let box = try AES.GCM.seal(plaintext, using: current.key, authenticating: Data(context.utf8))
        guard let combined = box.combined else { throw VaultError.malformedEnvelope("nonce size is not the default") }
        return SealedSecret(v: 1, alg: "A256GCM", kid: current.id, box: combined.base64EncodedString())
    }

    public func open(_ sealed: SealedSecret, context: String) throws -> Data {
        guard sealed.v == 1, sealed.alg == "A256GCM" else {
            throw VaultError.malformedEnvelope("unsupported version \(sealed.v) / algorithm \(sealed.alg)")
        }
        guard let key = byId[sealed.kid] else { throw VaultError.unknownKey(sealed.kid) }
        guard let combined = Data(base64Encoded: sealed.box), combined.count >= 28 else {
            throw VaultError.malformedEnvelope("box is not base64 of nonce, ciphertext and tag")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            return try AES.GCM.open(box, using: key.key, authenticating: Data(context.utf8))
        } catch {
            throw VaultError.authenticationFailed
        }
    }

    /// Seal an Encodable value (credential JSON) as its JSON text.
    public func seal<T: Encodable>(json value: T, context: String) throws -> SealedSecret {
        try seal(try JSONEncoder().encode(value), context: context)
    }

    /// Key from `GATEWAY_MASTER_KEY` (base64 of 32 bytes) or a key file:
    /// `GATEWAY_MASTER_KEY_FILE`, else `<stateDirectory>/master.key`, which is
    /// created (mode 0600) on first use unless `GATEWAY_ENV=production`.
    /// Older keys for reading: `GATEWAY_PREVIOUS_MASTER_KEYS` (comma-separated base64).
    public static func load(environment: [String: String], stateDirectory: URL, logger: Logger) throws -> CredentialVault {
        let previous = try (environment["GATEWAY_PREVIOUS_MASTER_KEYS"] ?? "")
            .split(separator: ",").map { try MasterKey(base64: String($0)) }
        if let value = environment["GATEWAY_MASTER_KEY"], !value.isEmpty {
            return CredentialVault(current: try MasterKey(base64: value), previous: previous)
        }
        let explicitFile = environment["GATEWAY_MASTER_KEY_FILE"].map { URL(fileURLWithPath: $0) }
        let file = explicitFile ?? stateDirectory.appendingPathComponent("master.key")
        if FileManager.default.fileExists(atPath: file.path) {
            return CredentialVault(current: try readKeyFile(file), previous: previous)
        }
        if explicitFile != nil || environment["GATEWAY_ENV"] == "production" {
            throw VaultError.keyFile("\(file.path) does not exist; set GATEWAY_MASTER_KEY or create the key file (32 random bytes, base64, mode 0600)")
        }
        let key = MasterKey.generate()
        try createKeyFile(file, key: key)
        logger.warning("created a development credential key; set GATEWAY_MASTER_KEY in production", metadata: ["file": "\(file.path)", "key_id": "\(key.id)"])
        return CredentialVault(current: key, previous: previous)
    }

    static func readKeyFile(_ file: URL) throws -> MasterKey {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw VaultError.keyFile("\(file.path) is readable by group or others (mode \(String(mode, radix: 8))); chmod 600 it")
        }
        let text = try String(contentsOf: file, encoding: .utf8)
        return try MasterKey(base64: text)
    }

    static func createKeyFile(_ file: URL, key: MasterKey) throws {
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        // O_EXCL with mode 0600: no window in which the key is readable by others,
        // and two processes starting at once cannot overwrite each other's key.
        let fd = Glibc.open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw VaultError.keyFile("cannot create \(file.path): errno \(errno)") }
        defer { close(fd) }
        let bytes = Array((key.base64 + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count else { throw VaultError.keyFile("cannot write \(file.path)") }
    }
}
