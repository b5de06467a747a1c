/// /__mock/<courier>/... controls shared by the courier mocks (never part of a
/// provider's API): clock, scenarios, webhook target and delivery knobs.
extension CourierWebhookSource {
    func courierAdmin(_ r: MockRequest, action: String) async -> MockResponse? {
        if let common = AdminCommon.handle(r, action: action, log: core.requestLog, faults: core.faults) { return common }
        switch (r.method, action) {
        case ("POST", "advance"):
            let events = await advanceCore(minutes: Pipeline.intParam(r, "minutes", default: 60))
            return AdminCommon.ok { w in
                w.string("now", CourierTime.isoLocal(core.clock.now()))
                Self.writeEvents(events, into: &w)
                w.int("webhooks_pending", core.webhooks.pendingCount)
            }
        case ("POST", "tick"):
            let events = await tickCore()
            return AdminCommon.ok { w in Self.writeEvents(events, into: &w) }
        case ("POST", "flush"):
            let report = r.param("drain") == "true" ? await core.webhooks.drain() : await core.webhooks.flush()
            return AdminCommon.ok { w in Self.writeReport(report, into: &w) }
        case ("POST", "scenario"), ("PUT", "scenario"):
            guard let name = r.param("scenario"),
                  let scenario = CourierScenario.parse(name, attempts: r.param("attempts").flatMap { Int($0) }, reason: r.param("reason"))
            else {
                return .json(400, JSONWriter.render {
                    $0.string("error", "scenario=delivered|ndr_then_delivered|ndr_then_rto|cancelled [&attempts=1..3&reason=customer_unavailable|incomplete_address|wrong_address|refused|cod_not_ready] with awb=X or next=N")
                })
            }
            if let awb = r.param("awb") {
                let ok = core.simulator.setScenario(scenario, forAWB: awb)
                return .json(ok ? 200 : 409, JSONWriter.render { w in
                    w.bool("updated", ok)
                    w.string("awb", awb)
                    w.string("scenario", scenario.description)
                })
            }
            let n = Pipeline.intParam(r, "next", default: 1)
            core.simulator.setScenarioForNextBookings(scenario, count: n)
            return AdminCommon.ok { w in w.int("queued", n); w.string("scenario", scenario.description) }
        case ("PUT", "webhook"), ("POST", "webhook"):
            if let url = r.param("url") {
                guard url.isEmpty || WebhookPusher.isLoopback(url) else {
                    return .json(400, JSONWriter.render { $0.string("error", "webhook URL must be a loopback address") })
                }
                core.webhookURL = url.isEmpty ? nil : url
            }
            if let token = r.param("token") { core.webhookToken = token.isEmpty ? nil : token }
            var c = core.webhooks.config
            if let v = r.param("duplicates").flatMap({ Int($0) }) { c.duplicates = max(1, min(v, 10)) }
            if let v = r.param("shuffle_window").flatMap({ Int($0) }) { c.shuffleWindow = max(0, min(v, 100)) }
            if let v = r.param("delay_minutes").flatMap({ Int($0) }) { c.delayMinutes = max(0, v) }
            if let v = r.param("max_attempts").flatMap({ Int($0) }) { c.maxAttempts = max(1, min(v, 20)) }
            core.webhooks.config = c
            if let v = r.param("auto_push") { core.autoPush = v == "true" || v == "1" }
            return AdminCommon.ok { w in
                w.string("url", core.webhookURL)
                w.bool("token_set", core.webhookToken != nil)
                w.int("duplicates", c.duplicates)
                w.int("shuffle_window", c.shuffleWindow)
                w.int("delay_minutes", c.delayMinutes)
                w.int("max_attempts", c.maxAttempts)
                w.bool("auto_push", core.autoPush)
            }
        case ("GET", "webhooks"):
            let log = core.webhooks.log
            return AdminCommon.ok { w in
                w.int("pending", core.webhooks.pendingCount)
                w.int("abandoned", core.webhooks.abandoned.count)
                w.array("attempts") { w in for a in log { Self.writeAttempt(a, into: &w) } }
            }
        case ("GET", "shipments"):
            let sim = core.simulator
            return AdminCommon.ok { w in
                w.array("shipments") { w in
                    for awb in sim.awbs {
                        w.object { w in
                            w.string("awb", awb)
                            w.string("scenario", sim.scenario(awb: awb)?.description)
                            w.string("last_step", sim.lastEvent(awb: awb)?.step.name)
                            w.array("remaining") { w in for s in sim.remainingSteps(awb: awb) { w.element(s.name) } }
                        }
                    }
                }
            }
        default:
            return nil
        }
    }

    static func writeEvents(_ events: [SimEvent], into w: inout JSONWriter) {
        w.array("events") { w in
            for e in events {
                w.object { w in
                    w.string("awb", e.awb)
                    w.string("step", e.step.name)
                    w.string("at", CourierTime.isoLocal(e.at))
                    w.string("location", e.location.facility)
                }
            }
        }
    }

    static func writeAttempt(_ a: WebhookAttempt, into w: inout JSONWriter) {
        w.object { w in
            w.int("delivery_id", a.deliveryID)
            w.string("awb", a.awb)
            w.int("attempt", a.attempt)
            w.int("status", a.status.map { Int64($0) })
            w.string("error", a.error)
            w.string("at", CourierTime.isoLocal(a.at))
        }
    }

    static func writeReport(_ r: WebhookFlushReport, into w: inout JSONWriter) {
        w.int("sent", r.sent)
        w.int("acknowledged", r.acknowledged)
        w.int("failed", r.failed)
        w.int("pending", r.pending)
        w.int("abandoned", r.abandoned)
        w.array("attempts") { w in for a in r.attempts { writeAttempt(a, into: &w) } }
    }
}
