#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The life of one alert instance from one evaluation to the next, as pure functions of the previous record and
/// what the rule sees now.
///
/// ```
/// inactive ──holds──► pending ──held for `for`──► firing ──stops (and `clear` holds)──► resolved
///     ▲                  │ stops                                                          │ holds again
///     └──────────────────┘                                                   pending ◄────┘
/// ```
public enum AlertStateMachine {
    /// What changed for one alert in one evaluation.
    public enum Transition: String, Sendable, Equatable {
        case none
        case started = "pending"
        case fired = "firing"
        case resolved
        /// Pending, then the condition stopped before `for` elapsed.
        case abandoned
    }

    /// What the rule says about one series right now.
    public struct Observation: Sendable {
        /// The expression keeps the series: its value.
        public var value: Double?
        /// The rule's `clear` expression holds for the series (or the rule has no `clear`).
        public var clearHolds: Bool
        /// The series is still observed at all (its metrics are reported).
        public var present: Bool

        public init(value: Double?, clearHolds: Bool = true, present: Bool = true) {
            self.value = value
            self.clearHolds = clearHolds
            self.present = present
        }
    }

    public static func step(previous: AlertRecord?, key: AlertKey, now observed: Observation, rule: Rule,
                            severity: Severity, at now: Date) -> (record: AlertRecord?, transition: Transition) {
        if let value = observed.value {
            switch previous?.phase {
            case nil, .resolved?:
                let firesNow = rule.forDuration <= 0
                let record = AlertRecord(key: key, phase: firesNow ? .firing : .pending, severity: severity,
                                         value: value, activeSince: now, firedAt: firesNow ? now : nil,
                                         lastEvaluatedAt: now)
                return (record, firesNow ? .fired : .started)
            case .pending?:
                var record = previous!
                record.value = value
                record.severity = severity
                record.lastEvaluatedAt = now
                if now.timeIntervalSince(record.activeSince) >= rule.forDuration {
                    record.phase = .firing
                    record.firedAt = now
                    return (record, .fired)
                }
                return (record, .none)
            case .firing?:
                var record = previous!
                record.value = value
                record.severity = severity
                record.lastEvaluatedAt = now
                record.resolvedAt = nil
                record.keepFiringSince = nil
                return (record, .none)
            }
        }
        guard let previous else { return (nil, .none) }
        switch previous.phase {
        case .pending:
            return (nil, .abandoned)
        case .firing:
            // keep_firing_for: still firing until that long after the condition first stopped; meanwhile
            // `keepFiringSince` holds when it stopped (cleared if the condition holds again).
            if rule.keepFiringFor > 0 {
                let stopped = previous.keepFiringSince ?? now
                if now.timeIntervalSince(stopped) < rule.keepFiringFor {
                    var record = previous
                    record.keepFiringSince = stopped
                    record.lastEvaluatedAt = now
                    return (record, .none)
                }
            }
            // Hysteresis: stay firing until `clear` holds, unless the series has gone away altogether.
            if rule.clear != nil && !observed.clearHolds && observed.present {
                var record = previous
                record.lastEvaluatedAt = now
                return (record, .none)
            }
            var record = previous
            record.phase = .resolved
            record.resolvedAt = now
            record.keepFiringSince = nil
            record.lastEvaluatedAt = now
            return (record, .resolved)
        case .resolved:
            return (previous, .none)
        }
    }
}
