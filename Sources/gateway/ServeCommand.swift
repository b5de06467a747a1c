import ArgumentParser
import Foundation
import GatewayRPC
import GatewayStore

/// Options of the RPC socket, shared by `serve` and `demo`.
struct SocketOptions: ParsableArguments {
    @Option(name: .customLong("rpc-socket"), help: "RPC socket path (default: $GATEWAY_RPC_SOCKET, else <state-dir>/rpc.sock).")
    var rpcSocket: String?

    @Option(name: .customLong("socket-mode"), help: "Octal permission bits of the socket file (default: $GATEWAY_RPC_SOCKET_MODE or 0660).")
    var socketMode: String?

    @Option(name: .customLong("allow-uid"), help: "A uid allowed to use the socket; repeat for more (default: $GATEWAY_RPC_ALLOWED_UIDS, else this process's uid and root).")
    var allowUID: [UInt32] = []

    func resolve(environment: [String: String], stateDirectory: URL) throws -> (path: String, mode: UInt32, uids: Set<UInt32>?) {
        let path = rpcSocket ?? environment["GATEWAY_RPC_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            ?? stateDirectory.appendingPathComponent("rpc.sock").path
        let modeText = socketMode ?? environment["GATEWAY_RPC_SOCKET_MODE"] ?? "0660"
        guard let mode = UInt32(modeText.hasPrefix("0o") ? String(modeText.dropFirst(2)) : modeText, radix: 8), mode <= 0o777 else {
            throw CommandFailure(description: "socket mode '\(modeText)' is not octal permission bits such as 0660", exitCode: 2)
        }
        var uids: Set<UInt32>? = allowUID.isEmpty ? nil : Set(allowUID)
        if uids == nil, let list = environment["GATEWAY_RPC_ALLOWED_UIDS"], !list.isEmpty {
            let parsed = list.split(separator: ",").map { UInt32($0.trimmingCharacters(in: .whitespaces)) }
            guard parsed.allSatisfy({ $0 != nil }) else {
                throw CommandFailure(description: "GATEWAY_RPC_ALLOWED_UIDS must be a comma-separated list of uids", exitCode: 2)
            }
            uids = Set(parsed.compactMap { $0 })
        }
        return (path, mode, uids)
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the gateway: webhook HTTP server, RPC socket, scheduler and inbox processor, until SIGTERM or SIGINT."
    )

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var socket: SocketOptions

    @Option(name: .customLong("http-host"), help: "Webhook server address (default: $GATEWAY_HTTP_HOST or 127.0.0.1; 0.0.0.0 for providers to reach it).")
    var httpHost: String?

    @Option(name: .customLong("http-port"), help: "Webhook server port (default: $GATEWAY_HTTP_PORT or 8080; 0 picks a free one).")
    var httpPort: Int?

    @Option(name: .customLong("public-url"), help: "Base URL providers reach the webhook server at, for the webhook URLs the RPC hands out ($GATEWAY_PUBLIC_URL).")
    var publicURL: String?

    @Flag(name: .customLong("no-scheduler"), help: "Do not run scheduled pulls and tracking polls in this process.")
    var noScheduler = false

    @Flag(name: .customLong("no-inbox"), help: "Do not process the webhook inbox in this process.")
    var noInbox = false

    @Option(name: .customLong("inbox-retention-days"),
            help: "Days processed webhook deliveries stay in the inbox for replay before they are purged; 0 keeps them (default: $GATEWAY_INBOX_RETENTION_DAYS or 7).")
    var inboxRetentionDays: Int?

    func run() async throws {
        let runtime = GatewayRuntime(databaseURL: database.databaseURL, stateDirectory: database.stateDirectory, verbose: true)
        let environment = runtime.environment
        let resolved = try socket.resolve(environment: environment, stateDirectory: runtime.stateDirectory)
        let portText = environment["GATEWAY_HTTP_PORT"]
        guard let port = httpPort ?? (portText.map { Int($0) } ?? 8080), (0...65535).contains(port) else {
            throw CommandFailure(description: "GATEWAY_HTTP_PORT '\(portText ?? "")' is not a port number", exitCode: 2)
        }
        var settings = ServeSettings(rpcSocket: resolved.path)
        settings.socketMode = resolved.mode
        settings.allowedUIDs = resolved.uids
        settings.httpHost = httpHost ?? environment["GATEWAY_HTTP_HOST"] ?? "127.0.0.1"
        settings.httpPort = port
        settings.publicURL = publicURL ?? environment["GATEWAY_PUBLIC_URL"]
        settings.scheduler = !noScheduler
        settings.inbox = !noInbox
        let retentionText = environment["GATEWAY_INBOX_RETENTION_DAYS"]
        guard let retention = inboxRetentionDays ?? (retentionText.map { Int($0) } ?? 7), retention >= 0 else {
            throw CommandFailure(description: "inbox retention '\(inboxRetentionDays.map(String.init) ?? retentionText ?? "")' is not a number of days (0 keeps deliveries)",
                                 exitCode: 2)
        }
        settings.inboxRetentionDays = retention == 0 ? nil : retention
        try FileManager.default.createDirectory(at: runtime.stateDirectory, withIntermediateDirectories: true)
        let registry = try runtime.registry()
        let vault = try runtime.vault()
        let host = settings.httpHost
        let serveSettings = settings
        try await runtime.withDatabase { db in
            try await GatewayProcess(settings: serveSettings, database: db, registry: registry, vault: vault, logger: runtime.logger).run { endpoints in
                FileHandle.standardOutput.write(Data("""
                    rpc socket: \(endpoints.rpcSocket)
                    webhooks:   http://\(host):\(endpoints.httpPort)/webhooks/{channels|couriers}/{code}/{connection-id}\n
                    """.utf8))
            }
        }
    }
}

struct RPCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rpc",
        abstract: "Call a method on a running gateway's RPC socket and print its result (JSON).",
        discussion: """
            Example: gateway rpc channels.list '{"tenant":"demo"}'. Params are a JSON object, - for standard input, \
            or @file. The result prints on stdout; an error prints as its JSON-RPC error object and exits 1. \
            Methods: contracts/rpc/openrpc.json, or `gateway rpc rpc.discover`.
            """
    )

    @Argument(help: "Method name, e.g. system.health.") var method: String
    @Argument(help: "Params: a JSON object, - (stdin) or @file.") var params: String?

    @Option(name: .customLong("socket"), help: "Socket path (default: $GATEWAY_RPC_SOCKET, else <state-dir>/rpc.sock).")
    var socket: String?

    @Option(name: .customLong("state-dir"), help: "Where the default socket lives (default: $GATEWAY_STATE_DIR or .gateway).")
    var stateDirectory: String?

    @Option(help: "Seconds to wait for the answer.") var timeout = 120

    @Flag(help: "Indent the output.") var pretty = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = socket ?? environment["GATEWAY_RPC_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
            ?? URL(fileURLWithPath: stateDirectory ?? environment["GATEWAY_STATE_DIR"] ?? ".gateway").appendingPathComponent("rpc.sock").path
        let paramsJSON: JSON?
        switch params {
        case nil: paramsJSON = nil
        case "-"?: paramsJSON = try InputFile.readJSON("-")
        case let text? where text.hasPrefix("@"): paramsJSON = try InputFile.readJSON(String(text.dropFirst()))
        case let text?:
            do { paramsJSON = try JSON.parse(Array(text.utf8)) } catch {
                throw CommandFailure(description: "params are not valid JSON: \(error)", exitCode: 2)
            }
        }
        let client: RPCClient
        do {
            client = try await RPCClient.connect(path: path)
        } catch {
            throw CommandFailure(description: "cannot connect to \(path): \(error) (is `gateway serve` running? --socket or GATEWAY_RPC_SOCKET)")
        }
        defer { Task { await client.close() } }
        do {
            let result = try await client.call(method, paramsJSON, timeout: .seconds(timeout))
            print(pretty ? PrettyJSON.render(result) : result.serialized())
        } catch let error as RPCError {
            var object: JSONObject = ["code": .number(JSONNumber(error.code)), "message": .string(error.message)]
            if let data = error.data { object["data"] = data }
            print(pretty ? PrettyJSON.render(.object(object)) : JSON.object(object).serialized())
            await client.close()
            throw ExitCode(1)
        }
        await client.close()
    }
}

import JSONCore

/// Two-space indented JSON for people.
enum PrettyJSON {
    static func render(_ value: JSON, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + render($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case .object(let object) where !object.isEmpty:
            return "{\n" + object.map { inner + JSON.string($0.key).serialized() + ": " + render($0.value, indent: inner) }
                .joined(separator: ",\n") + "\n" + indent + "}"
        default:
            return value.serialized()
        }
    }
}
