import Crypto
import Foundation
import GatewayStore
import Logging
import Testing

@Suite("Credential vault")
struct VaultTests {
    let secret = Data(#"{"shop_domain":"acme.myshopify.com","access_token":"shpat_0123456789abcdef"}"#.utf8)

    @Test func roundTripAndNoPlaintextAtRest() throws {
        let vault = CredentialVault(current: MasterKey.generate())
        let sealed = try vault.seal(secret, context: "tenant_acme/sales_channels/1")
        let stored = String(decoding: try JSONEncoder().encode(sealed), as: UTF8.self)
        #expect(!stored.contains("shpat_"))
        #expect(sealed.kid == vault.current.id)
        #expect(try vault.open(sealed, context: "tenant_acme/sales_channels/1") == secret)
        // Same plaintext twice: different nonces, different boxes.
        #expect(try vault.seal(secret, context: "x").box != vault.seal(secret, context: "x").box)
    }

    @Test func wrongKeyAndWrongContextFail() throws {
        let vault = CredentialVault(current: MasterKey.generate())
        let sealed = try vault.seal(secret, context: "tenant_acme/sales_channels/1")
        let other = CredentialVault(current: MasterKey.generate())
        #expect(throws: VaultError.unknownKey(sealed.kid)) { try other.open(sealed, context: "tenant_acme/sales_channels/1") }
        // A key with the same id but other bytes cannot exist; a forged kid is still rejected by GCM.
        var forged = sealed
        forged.kid = other.current.id
        #expect(throws: VaultError.authenticationFailed) { try other.open(forged, context: "tenant_acme/sales_channels/1") }
        #expect(throws: VaultError.authenticationFailed) { try vault.open(sealed, context: "tenant_globex/sales_channels/1") }
    }

    @Test func everyTamperedByteIsDetected() throws {
        let vault = CredentialVault(current: MasterKey.generate())
        let sealed = try vault.seal(secret, context: "c")
        let bytes = try #require(Data(base64Encoded: sealed.box))
        for index in bytes.indices {
            var tampered = bytes
            tampered[index] ^= 0x01
            var copy = sealed
            copy.box = tampered.base64EncodedString()
            #expect(throws: VaultError.authenticationFailed) { try vault.open(copy, context: "c") }
        }
        var truncated = sealed
        truncated.box = Data(bytes.prefix(10)).base64EncodedString()
        #expect(throws: (any Error).self) { try vault.open(truncated, context: "c") }
    }

    @Test func rotationReadsOldSecretsWithPreviousKeys() throws {
        let old = MasterKey.generate()
        let sealed = try CredentialVault(current: old).seal(secret, context: "c")
        let rotated = CredentialVault(current: MasterKey.generate(), previous: [old])
        #expect(try rotated.open(sealed, context: "c") == secret)
        #expect(try rotated.seal(secret, context: "c").kid == rotated.current.id)
    }

    @Test func keyFromEnvironmentOrDevelopmentKeyFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vault-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let logger = Logger(label: "test")
        let raw = Data((0..<32).map { UInt8($0) })
        let fromEnv = try CredentialVault.load(environment: ["GATEWAY_MASTER_KEY": raw.base64EncodedString()], stateDirectory: folder, logger: logger)
        #expect(fromEnv.current.id == (try MasterKey(rawKey: raw)).id)
        #expect(throws: VaultError.self) {
            try CredentialVault.load(environment: ["GATEWAY_MASTER_KEY": Data(count: 16).base64EncodedString()], stateDirectory: folder, logger: logger)
        }
        // First run in development: a 0600 key file is created, then reused.
        let first = try CredentialVault.load(environment: [:], stateDirectory: folder, logger: logger)
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("master.key").path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try CredentialVault.load(environment: [:], stateDirectory: folder, logger: logger)
        #expect(first.current.id == second.current.id)
        // A key file others can read is refused.
        chmod(folder.appendingPathComponent("master.key").path, 0o644)
        #expect(throws: VaultError.self) { try CredentialVault.load(environment: [:], stateDirectory: folder, logger: logger) }
        // Production never invents a key.
        let empty = folder.appendingPathComponent("prod")
        #expect(throws: VaultError.self) { try CredentialVault.load(environment: ["GATEWAY_ENV": "production"], stateDirectory: empty, logger: logger) }
    }
}
