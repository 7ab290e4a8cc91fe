#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `eval` says about one alert: the channels' decisions, and what its state adds to them.
public struct AlertVerdict: Sendable, Equatable {
    /// What the alert's state says, which outweighs the channels' decisions in the report's wording.
    public enum StateNote: Sendable, Equatable {
        /// Holds, but not yet for the rule's `for`.
        case pending(since: Date, firesAt: Date)
        /// Its rule could not observe it (the reason given); its state was kept.
        case unobserved(String)
    }

    public var decisions: [ChannelDecision]
    public var note: StateNote?

    public init(decisions: [ChannelDecision], note: StateNote? = nil) {
        self.decisions = decisions
        self.note = note
    }

    /// Told through at least one channel.
    public var notifies: Bool {
        decisions.contains { if case .notify = $0.decision { true } else { false } }
    }

    /// What held the alert back, when no channel was told: a silence, then inhibition, then an acknowledgement,
    /// then a delivery schedule, then de-duplication.
    public var suppression: Suppression? {
        guard !notifies else { return nil }
        return decisions.compactMap(\.decision.suppression).max { $0.rank < $1.rank }
    }

    /// Why the alert is (not) told, for people: the state's note, else the silence, else the notice's reason,
    /// else when de-duplication lets it repeat.
    public func wording(in zone: TimeZoneRules) -> String {
        switch note {
        case .pending(let since, let fires)?:
            return "pending since \(Timestamp.format(since, in: zone)); "
                + "fires at \(Timestamp.format(fires, in: zone)) if it still holds"
        case .unobserved(let reason)? where !notifies:
            return "not observed (\(reason)); state kept"
        default:
            break
        }
        let held = decisions.filter { ($0.decision.suppression?.rank ?? 0) > 0 }
        let chosen = held.max { $0.decision.suppression!.rank < $1.decision.suppression!.rank }
            ?? decisions.last { if case .notify = $0.decision { true } else { false } }
            ?? decisions.first { if case .deduplicated = $0.decision { true } else { false } }
        return chosen?.decision.wording(in: zone) ?? ""
    }
}

/// Stage 5, report: one `AlertReport` per alert worth showing, firing first, most severe first.
struct ReportStage {
    let configuration: Configuration

    func reports(_ steps: [AlertStep]) -> [AlertReport] {
        steps.filter(\.isReported).map(report).sorted { a, b in
            if a.state != b.state { return a.state == .firing }
            if a.severity != b.severity { return a.severity > b.severity }
            return AlertKey(rule: a.rule, labels: a.labels) < AlertKey(rule: b.rule, labels: b.labels)
        }
    }

    private func report(_ step: AlertStep) -> AlertReport {
        let record = step.record
        var note: AlertVerdict.StateNote?
        if let reason = step.unobserved {
            note = .unobserved(reason)
        } else if record.phase == .pending {
            note = .pending(since: record.activeSince,
                            firesAt: record.activeSince.addingTimeInterval(step.rule.forDuration))
        }
        return AlertReport(rule: step.rule.name, severity: record.severity, state: record.phase,
                           labels: step.key.labels, value: record.value, summary: record.summary,
                           channels: step.decisions.map(\.channel),
                           verdict: AlertVerdict(decisions: step.decisions, note: note), zone: configuration.zone,
                           activeSince: record.activeSince)
    }
}
