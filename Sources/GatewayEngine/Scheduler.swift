import AdapterKit
import Foundation
import GatewayStore
import Logging

/// Runs due jobs from `public.gateway_jobs`. Every gateway process runs
/// one; leases (claimed with SKIP LOCKED, renewed per page) keep two
/// processes off the same connection, and expire if a process dies.
public actor Scheduler {
    public struct Options: Sendable {
        public var owner: String
        public var pollInterval: Duration = .seconds(2)
        public var concurrency = 4
        public var lease: Duration = .seconds(120)

        public init(owner: String = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8))") {
            self.owner = owner
        }
    }

    let options: Options
    let sync: OrderSync
    /// Runs `tracking_poll` jobs; without it they stay parked (succeed, do nothing).
    let tracking: TrackingPoll?
    /// Runs `ndr_followup` jobs; without it they wait for a process that has one.
    let followUp: NDRFollowUp?
    let jobs: JobStore
    let logger: Logger

    public init(options: Options, sync: OrderSync, tracking: TrackingPoll? = nil, followUp: NDRFollowUp? = nil) {
        self.options = options
        self.sync = sync
        self.tracking = tracking
        self.followUp = followUp
        self.jobs = JobStore(database: sync.database)
        self.logger = sync.logger
    }

    /// Claims and runs the jobs due now; returns how many ran.
    @discardableResult
    public func runDue(kind: JobLease.Kind? = nil) async throws -> Int {
        let leases = try await jobs.claim(owner: options.owner, limit: options.concurrency, lease: options.lease, kind: kind)
        await withTaskGroup(of: Void.self) { group in
            for lease in leases {
                group.addTask { await self.run(lease) }
            }
        }
        return leases.count
    }

    private var stopping = false

    /// Graceful shutdown: claim nothing more; jobs already running finish
    /// (a cancelled one gives its lease back untouched), then `run` returns.
    public func stop() {
        stopping = true
    }

    /// Until `stop()` or cancellation; releases held leases on the way out.
    public func run() async {
        while !Task.isCancelled && !stopping {
            do {
                let ran = try await runDue()
                if ran == 0 { try await Task.sleep(for: options.pollInterval) }
            } catch is CancellationError {
                break
            } catch {
                logger.error("scheduler poll failed", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: options.pollInterval)
            }
        }
        try? await jobs.release(owner: options.owner)
    }

    func run(_ lease: JobLease) async {
        EngineMetrics.jobLag(kind: lease.kind.rawValue, milliseconds: lease.lagMilliseconds)
        switch lease.kind {
        case .channelPull:
            do {
                let tenant = try await TenantStore(database: sync.database).find(slug: String(lease.tenantSchema.dropFirst("tenant_".count)))
                guard let tenant else {
                    try await jobs.finish(lease, .paused("tenant no longer exists"))
                    return
                }
                _ = try await sync.pull(tenant: tenant, channelID: lease.targetID, lease: lease)
                try await jobs.finish(lease, .succeeded)
            } catch where Self.isShutdown(error) {
                try? await jobs.release(lease)
            } catch {
                let outcome: JobStore.Outcome = OrderSync.isAuthenticationFailure(error)
                    ? .paused("authentication failed: \(error); update the channel's credentials to resume")
                    : .failed("\(error)")
                try? await jobs.finish(lease, outcome)
            }
        case .trackingPoll:
            guard let tracking else {
                try? await jobs.finish(lease, .succeeded)
                return
            }
            do {
                _ = try await tracking.poll(lease)
                try await jobs.finish(lease, .succeeded)
            } catch where Self.isShutdown(error) {
                try? await jobs.release(lease)
            } catch {
                logger.warning("tracking poll failed", metadata: ["job": "\(lease.id)", "error": "\(error)"])
                try? await jobs.finish(lease, Self.courierJobOutcome(error))
            }
        case .ndrFollowUp:
            guard let followUp else {
                try? await jobs.release(lease)
                return
            }
            do {
                let result = try await followUp.run(lease)
                try await jobs.finish(lease, result.remaining == 0 ? .done : .succeeded)
            } catch where Self.isShutdown(error) {
                try? await jobs.release(lease)
            } catch {
                logger.warning("NDR follow-up failed", metadata: ["job": "\(lease.id)", "error": "\(error)"])
                try? await jobs.finish(lease, Self.courierJobOutcome(error))
            }
        }
    }

    /// A courier job's failure: a gone courier or bad credentials pause it (until someone
    /// changes the configuration), anything else retries with backoff.
    static func courierJobOutcome(_ error: any Error) -> JobStore.Outcome {
        if error is TrackingPoll.CourierUnavailable { return .paused("\(error)") }
        if OrderSync.isAuthenticationFailure(error) {
            return .paused("authentication failed: \(error); update the courier's credentials to resume")
        }
        return .failed("\(error)")
    }

    /// Work stopped by shutdown is not a failure: no backoff, no error recorded.
    static func isShutdown(_ error: any Error) -> Bool {
        error is CancellationError || Task.isCancelled
    }
}
