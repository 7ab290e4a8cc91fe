#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a line of `status` stands, decided by the rules rather than by thresholds of its own: a line is `bad` when
/// a rule of severity high or critical holds for its series now (or its alert is firing), `warn` for a medium or
/// low rule or a pending alert, else `ok`. Editing a rule file changes `status` with it.
public enum StatusLevel: String, Sendable, Encodable, Comparable {
    case ok, warn, bad

    var rank: Int { self == .ok ? 0 : self == .warn ? 1 : 2 }

    public static func < (lhs: StatusLevel, rhs: StatusLevel) -> Bool { lhs.rank < rhs.rank }

    init(severity: Severity, pending: Bool = false) {
        self = pending || severity < .high ? .warn : .bad
    }
}

/// Which rules hold for which series right now, and which alerts the state database says are active.
struct StatusVerdicts {
    struct Holding {
        var rule: String
        var severity: Severity
        var labels: Labels
        var pending: Bool
    }

    /// By metric name: every rule reading that metric, with the series for which it holds.
    private var byMetric: [String: [Holding]] = [:]

    init(rules: [Rule], observations: [Observation], alerts: [AlertRecord], now: Date) {
        let index = ObservationIndex(observations)
        let active = Dictionary(grouping: alerts.filter { $0.phase != .resolved }, by: \.key.rule)
        for rule in rules {
            // A rule that cannot be evaluated holds for nothing new; its stored alerts below still count.
            let samples = (try? rule.expression.evaluate(index, at: now.timeIntervalSince1970)) ?? []
            var holding: [Holding] = samples.map {
                Holding(rule: rule.name, severity: rule.severity, labels: $0.labels, pending: rule.forDuration > 0)
            }
            // The stored alert knows better: it has waited its `for`, and its severity may have changed.
            for alert in active[rule.name] ?? [] {
                holding.removeAll { $0.labels.isSubset(of: alert.key.labels) }
                holding.append(Holding(rule: rule.name, severity: alert.severity, labels: alert.key.labels,
                                       pending: alert.phase == .pending))
            }
            for metric in rule.expression.selectedMetrics { byMetric[metric, default: []].append(contentsOf: holding) }
        }
    }

    /// The rules holding for a series of `metric` with `labels`: those whose result agrees with `labels` on every
    /// label name both have (an aggregated result with fewer labels covers every series it was made from).
    func holding(_ metric: String, _ labels: Labels) -> [Holding] {
        (byMetric[metric] ?? []).filter { $0.labels.agrees(with: labels) }
    }

    func level(_ metric: String, _ labels: Labels) -> StatusLevel {
        holding(metric, labels).map { StatusLevel(severity: $0.severity, pending: $0.pending) }.max() ?? .ok
    }

    /// The worst level over every series of `metric` whose labels agree with `labels`.
    func level(_ metric: String, among observations: [Observation]) -> StatusLevel {
        observations.filter { $0.metric == metric }.map { level(metric, $0.labels) }.max() ?? .ok
    }
}

extension Labels {
    /// Every label here is in `other` with the same value.
    func isSubset(of other: Labels) -> Bool { allSatisfy { other[$0.name] == $0.value } }

    /// No label name that both have carries different values.
    func agrees(with other: Labels) -> Bool {
        allSatisfy { label in other[label.name].map { $0 == label.value } ?? true }
    }
}
