import ArgumentParser

@main
struct Gateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Courier and channel integration gateway.",
        discussion: """
            With no DATABASE_URL the gateway runs its own PostgreSQL under .gateway/postgres \
            (GATEWAY_STATE_DIR moves .gateway). See README.md.
            """,
        subcommands: [MigrateCommand.self, TenantCommand.self]
    )
}
