import AdapterCatalog
import AdapterKit
import Foundation
import GatewayEngine
@testable import GatewayRPC
import GatewayStore
import JSONCore
import Logging
import MockServers
import Testing
import TestSupport

/// A real gateway method table on a real socket, over a test database, with
/// the adapters pointed at mock providers. Every result is held to
/// contracts/rpc/openrpc.json, every error to its declared codes.
struct MethodsFixture {
    let database: GatewayDatabase
    let registry: AdapterRegistry
    let vault: CredentialVault
    let contract: RPCContract
    let server: RPCServer
    let client: RPCClient

    static func with<T: Sendable>(overrides: [String: String], _ body: (MethodsFixture) async throws -> T) async throws -> T {
        try await withTestDatabase { database in
            var registry = try AdapterCatalog.registry()
            registry.baseURLOverrides = overrides
            registry.transport.policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(10), maxDelay: .milliseconds(100))
            _ = try await AdapterTypeSync.sync(registry, database: database)
            let vault = CredentialVault(current: MasterKey.generate())
            let health = HealthMonitor(database: database)
            await health.probe()
            let contract = try RPCContract.load()
            let services = GatewayServices(database: database, registry: registry, vault: vault, health: health, logger: TestPostgres.logger)
            let server = RPCServer(configuration: .init(socketPath: temporarySocketPath("m")),
                                   methods: GatewayMethods.table(services, contract: contract), logger: TestPostgres.logger)
            try await server.start()
            let client = try await RPCClient.connect(path: server.configuration.socketPath)
            let fixture = MethodsFixture(database: database, registry: registry, vault: vault, contract: contract, server: server, client: client)
            do {
                let result = try await body(fixture)
                await client.close()
                await server.shutdown()
                return result
            } catch {
                await client.close()
                await server.shutdown()
                throw error
            }
        }
    }

    /// A successful call whose result must satisfy the method's result schema.
    @discardableResult
    func call(_ method: String, _ params: JSON? = nil, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let result = try await client.call(method, params, timeout: .seconds(120))
        let problems = contract.checkResult(method, result)
        #expect(problems.isEmpty, "\(method) result breaks the contract: \(problems.map(\.description))", sourceLocation: sourceLocation)
        return result
    }

    /// A call that must fail with `dataCode`, whose number the contract declares for it.
    @discardableResult
    func failure(_ method: String, _ params: JSON?, _ dataCode: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> RPCError {
        do {
            let result = try await client.call(method, params, timeout: .seconds(120))
            Issue.record("\(method) succeeded with \(result.serialized()); expected \(dataCode)", sourceLocation: sourceLocation)
            return RPCError(code: 0, message: "")
        } catch let error as RPCError {
            #expect(error.dataCode == dataCode, "\(method): \(error)", sourceLocation: sourceLocation)
            let declared = contract.document["components"]?["errors"]?[dataCode]?["code"]?.numberValue?.intValue
            #expect(declared == error.code, "\(dataCode) is \(error.code) on the wire but \(declared.map(String.init) ?? "undeclared") in the contract",
                    sourceLocation: sourceLocation)
            return error
        }
    }

    func tenant(_ slug: String, plan: String = "enterprise") async throws {
        _ = try await TenantStore(database: database).create(slug: slug, name: slug, planCode: plan)
    }
}

extension JSON {
    var string: String { stringValue ?? "" }
    var int: Int { numberValue?.intValue ?? -1 }
    var array: [JSON] { arrayValue ?? [] }
}
