#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whether one alert is told through one channel in this evaluation, and why (not).
public enum NotifyDecision: Sendable, Equatable {
    case notify(NoticeReason)
    /// Already told; the route's `repeat` has not passed.
    case deduplicated(until: Date)
    /// Matches an active silence.
    case silenced(id: Int64)
    /// Nothing to tell (pending, or resolved and already told).
    case quiet
}

/// De-duplication against the notification log: once per transition, again only after `repeat`, at once on a
/// severity change or resolution.
public enum NotificationPolicy {
    public static func decide(_ record: AlertRecord, lastNotice: NotificationLogEntry?, repeatInterval: Double,
                              notifyResolved: Bool, silence: Silence?, at now: Date) -> NotifyDecision {
        switch record.phase {
        case .pending:
            return .quiet
        case .firing:
            if let silence { return .silenced(id: silence.id) }
            guard let last = lastNotice, !last.resolved else { return .notify(.firing) }
            if last.severity != record.severity { return .notify(.severityChanged) }
            let due = last.notifiedAt.addingTimeInterval(repeatInterval)
            return now >= due ? .notify(.repeated) : .deduplicated(until: due)
        case .resolved:
            guard notifyResolved, let last = lastNotice, !last.resolved else { return .quiet }
            if let silence { return .silenced(id: silence.id) }
            return .notify(.resolved)
        }
    }
}
