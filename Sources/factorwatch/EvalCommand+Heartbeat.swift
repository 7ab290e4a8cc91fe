import FactorWatch

/// The pings of one `eval` to its dead man's switch (`heartbeat:`): start, then success or failure.
struct HeartbeatPinger {
    let heartbeat: Heartbeat?
    let runID = Heartbeat.newRunID()

    /// No pings for a dry run: it changes nothing and tells nobody.
    init(_ configuration: Configuration, dryRun: Bool) {
        heartbeat = dryRun ? nil : configuration.heartbeat
    }

    func start() {
        if heartbeat?.start == true { send(.start) }
    }

    /// Success for exit 0; otherwise failure with the exit code and what went wrong.
    func finish(exitCode: Int32, problems: [String]) {
        if exitCode == 0 {
            send(.success)
        } else {
            send(.failure(exitCode: exitCode, detail: problems.joined(separator: "\n")))
        }
    }

    /// A ping that fails is one line on standard error; it changes nothing else.
    private func send(_ ping: Heartbeat.Ping) {
        if let problem = heartbeat?.send(ping, runID: runID) { say(.problem(command: "eval", problem)) }
    }
}

extension EvaluationReport {
    /// What made this run not clean, one line each, for the heartbeat's failure body.
    func problems(_ configuration: Configuration) -> [String] {
        errors.map { "collector \($0.collector): \($0.message)" }
            + ruleErrors.map { "rule \($0.rule): \($0.message)" }
            + configuration.brokenChannels.map { "channel \($0.name) cannot send: \($0.reason)" }
            + configuration.heartbeatProblems.map(\.description)
            + notifications.filter { $0.status == .queued || $0.status == .dead }
                .map { "notification to \($0.channel) \($0.status.rawValue): \($0.error ?? "")" }
            + (undelivered > 0 ? ["\(undelivered) notifications undelivered (queued, or dead in the last day)"] : [])
    }
}
