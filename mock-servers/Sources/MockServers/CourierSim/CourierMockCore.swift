/// What every courier mock has: a server, a simulated clock, the lifecycle
/// simulator, the webhook pusher and the webhook target the tenant configured.
public final class CourierMockCore: Sendable {
    public let clock: SimClock
    public let simulator: CourierSimulator
    public let webhooks: WebhookPusher
    public let requestLog = RequestLog()
    public let faults: FaultInjector
    let server = LockedBox<MockServerHandle?>(nil)
    let target: LockedBox<Target>
    let ticker = LockedBox<Task<Void, Never>?>(nil)

    struct Target: Sendable {
        var url: String?
        var token: String?
        var autoPush: Bool
    }

    init(seed: UInt64, startTime: Int64?, liveClock: Bool, weights: ScenarioWeights, delivery: WebhookDeliveryConfig,
         faults: FaultPlan, webhookURL: String?, webhookToken: String?, autoPush: Bool) {
        clock = SimClock(start: startTime ?? SimClock.wallMinute(), live: liveClock)
        simulator = CourierSimulator(clock: clock, seed: seed, weights: weights)
        var d = delivery
        if d.seed == 0 { d.seed = seed }
        webhooks = WebhookPusher(clock: clock, config: d)
        self.faults = FaultInjector(faults)
        target = LockedBox(Target(url: webhookURL, token: webhookToken, autoPush: autoPush))
    }

    var webhookURL: String? {
        get { target.withLock { $0.url } }
        set { target.withLock { $0.url = newValue } }
    }

    var webhookToken: String? {
        get { target.withLock { $0.token } }
        set { target.withLock { $0.token = newValue } }
    }

    var autoPush: Bool {
        get { target.withLock { $0.autoPush } }
        set { target.withLock { $0.autoPush = newValue } }
    }

    func start(host: String, port: Int, handler: @escaping @Sendable (MockRequest) async -> MockResponse) async throws {
        let handle = try await MockServerHandle.start(host: host, port: port, handler: handler)
        server.withLock { $0 = handle }
    }

    func stop() async {
        let task = ticker.withLock { t -> Task<Void, Never>? in
            let current = t
            t = nil
            return current
        }
        task?.cancel()
        let handle = server.withLock { h -> MockServerHandle? in
            let current = h
            h = nil
            return current
        }
        await handle?.stop()
    }

    var baseURL: String { server.withLock { $0?.baseURL ?? "" } }
}

/// The courier-specific half: how an event becomes that courier's webhook.
protocol CourierWebhookSource: AnyObject, Sendable {
    var core: CourierMockCore { get }
    /// Headers and body of the webhook for `event`, or nil when the courier sends none for it.
    func webhook(for event: SimEvent, token: String?) -> (headers: [(String, String)], body: [UInt8])?
}

extension CourierWebhookSource {
    /// Queues the webhooks of `events` for the configured target (none configured: history only).
    func publish(_ events: [SimEvent]) {
        let (url, token) = core.target.withLock { ($0.url, $0.token) }
        guard let url else { return }
        for e in events {
            guard let w = webhook(for: e, token: token) else { continue }
            core.webhooks.enqueue(awb: e.awb, eventAt: e.at, url: url, headers: w.headers, body: w.body)
        }
    }

    /// Emits due steps, queues their webhooks and (with auto-push) sends what is due.
    func tickCore() async -> [SimEvent] {
        let events = core.simulator.advance(to: core.clock.now())
        publish(events)
        if core.autoPush { await core.webhooks.pushDue() }
        return events
    }

    func advanceCore(minutes: Int) async -> [SimEvent] {
        core.clock.advance(seconds: Int64(max(0, minutes)) * 60)
        return await tickCore()
    }

    /// For the demo's live clock: processes due steps every `seconds` (real time) until stopped.
    func startTickerCore(everySeconds seconds: Double) {
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(max(0.05, seconds) * 1000)))
                guard let self, !Task.isCancelled else { return }
                _ = await self.tickCore()
            }
        }
        let previous = core.ticker.withLock { t -> Task<Void, Never>? in
            let old = t
            t = task
            return old
        }
        previous?.cancel()
    }
}
