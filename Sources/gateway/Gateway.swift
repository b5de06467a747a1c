import ArgumentParser
import Foundation

@main
struct Gateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Courier and channel integration gateway.",
        discussion: """
            With no DATABASE_URL the gateway runs its own PostgreSQL under .gateway/postgres \
            (GATEWAY_STATE_DIR moves .gateway). See README.md.
            """,
        subcommands: [
            MigrateCommand.self, TenantCommand.self, AdaptersCommand.self, CredentialsCommand.self, SchemaCommand.self,
            NormalizeCommand.self, SyncCommand.self, ChannelCommand.self, ServeCommand.self, RPCCommand.self, DemoCommand.self,
            InboxCommand.self,
        ]
    )

    /// Like ArgumentParser's, but a `CommandFailure` keeps its own exit code
    /// (2 = bad input, as the validate commands promise).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("error: \(failure.description)\n".utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            exit(withError: error)
        }
    }
}
