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
    /// Matches an active silence (or maintenance window).
    case silenced(Silence)
    /// A firing source alert of an `inhibit:` rule holds it back.
    case inhibited(by: AlertKey)
    /// Someone acknowledged it: no repeat and no escalation until it resolves or changes severity.
    case acknowledged(Acknowledgement)
    /// Due, but its route's `deliver:`/`quiet:` holds it until then; it is sent in that digest.
    case held(NoticeReason, until: Date)
    /// Nothing to tell (pending, or resolved and already told).
    case quiet
}

extension NotifyDecision {
    /// The decision in words, for `eval`'s report: `firing`, `already notified; repeats after …`,
    /// `silenced by #3 until …`, `in maintenance window backup until …`; empty when there is nothing to tell.
    public func wording(in zone: TimeZoneRules) -> String {
        switch self {
        case .notify(let why):
            return why.rawValue
        case .deduplicated(let until):
            return "already notified; repeats after \(Timestamp.format(until, in: zone))"
        case .silenced(let silence):
            let until = Timestamp.format(silence.endsAt, in: zone)
            return silence.createdBy == MaintenanceWindow.author ? "in \(silence.comment) until \(until)"
                : "silenced by #\(silence.id) until \(until)"
        case .inhibited(let source):
            return "inhibited while \(source) fires"
        case .acknowledged(let acknowledgement):
            return acknowledgement.wording(in: zone)
        case .held(let why, let until):
            return "\(why.rawValue), held for the digest at \(Timestamp.format(until, in: zone))"
        case .quiet:
            return ""
        }
    }

    /// The reason of a notice that is sent now or held for later; nil when there is none.
    var noticeReason: NoticeReason? {
        switch self {
        case .notify(let why), .held(let why, _): why
        default: nil
        }
    }

    /// What held the notice back, as `eval` reports it in `suppressed_by`; nil when nothing did.
    public var suppression: Suppression? {
        switch self {
        case .deduplicated: .dedup
        case .silenced: .silence
        case .inhibited: .inhibit
        case .acknowledged: .ack
        case .held: .schedule
        case .notify, .quiet: nil
        }
    }
}

/// What held a notice back.
public enum Suppression: String, Sendable, Equatable {
    case dedup, silence, inhibit, ack, schedule

    /// Which outweighs which when channels disagree: a person's silence, then inhibition, then an
    /// acknowledgement, then a delivery schedule, then de-duplication.
    var rank: Int {
        switch self {
        case .silence: 4
        case .inhibit: 3
        case .ack: 2
        case .schedule: 1
        case .dedup: 0
        }
    }
}

/// One channel's decision about one alert.
public struct ChannelDecision: Sendable, Equatable {
    public var channel: String
    public var decision: NotifyDecision
    /// The escalation level the channel belongs to: 0 for the route's own channels.
    public var level: Int

    public init(channel: String, decision: NotifyDecision, level: Int = 0) {
        self.channel = channel
        self.decision = decision
        self.level = level
    }
}

/// De-duplication against the notification log: once per transition, again only after `repeat`, at once on a
/// severity change or resolution.
public enum NotificationPolicy {
    public static func decide(_ record: AlertRecord, lastNotice: NotificationLogEntry?, repeatInterval: Double,
                              notifyResolved: Bool, mute: MuteDecision = .none,
                              acknowledgement: Acknowledgement? = nil, at now: Date) -> NotifyDecision {
        switch record.phase {
        case .pending:
            return .quiet
        case .firing:
            if let held = mute.held { return held }
            if let acknowledgement, acknowledgement.covers(record, at: now) { return .acknowledged(acknowledgement) }
            guard let last = lastNotice, !last.resolved else { return .notify(.firing) }
            if last.severity != record.severity { return .notify(.severityChanged) }
            let due = last.notifiedAt.addingTimeInterval(repeatInterval)
            return now >= due ? .notify(.repeated) : .deduplicated(until: due)
        case .resolved:
            guard notifyResolved, let last = lastNotice, !last.resolved else { return .quiet }
            if let held = mute.held { return held }
            return .notify(.resolved)
        }
    }
}
