#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The plain-text form of a digest shared by every channel that has no template of its own.
public enum DigestFormatter {
    /// `[CRITICAL] 2 firing, 1 resolved — host`; `[RESOLVED] 1 resolved — host` when nothing fires.
    public static func subject(_ digest: Digest) -> String {
        if digest.isTest { return "[TEST] factorwatch test notification, not an alert — \(digest.host)" }
        let firing = digest.firing.count, resolved = digest.resolved.count
        let tag = digest.worstSeverity.map { $0.rawValue.uppercased() } ?? "RESOLVED"
        var counts: [String] = []
        if firing > 0 { counts.append("\(firing) firing") }
        if resolved > 0 { counts.append("\(resolved) resolved") }
        return "[\(tag)] \(counts.joined(separator: ", ")) — \(digest.host)"
    }

    /// One paragraph per alert, firing first, most severe first.
    public static func body(_ digest: Digest, zone: TimeZoneRules) -> String {
        var lines: [String] = []
        for alert in digest.alerts {
            lines.append(line(alert))
            if !alert.labels.isEmpty { lines.append("    labels: \(alert.labels)") }
            if !alert.description.isEmpty { lines.append("    \(alert.description)") }
            let since = Timestamp.format(alert.startsAt, in: zone)
            if let end = alert.endsAt, alert.isResolved {
                lines.append("    since \(since), resolved \(Timestamp.format(end, in: zone))")
            } else {
                lines.append("    since \(since)")
            }
            if !alert.runbook.isEmpty { lines.append("    runbook: \(alert.runbook)") }
            if let acknowledged = alert.acknowledged { lines.append("    \(acknowledged)") }
        }
        lines.append("")
        lines.append("factorwatch on \(digest.host) at \(Timestamp.format(digest.createdAt, in: zone))")
        return lines.joined(separator: "\n")
    }

    /// `[FIRING] critical FactorDataStale: summary` — the one-line form, as logs and SMS use it.
    public static func line(_ alert: AlertNotice) -> String {
        let status: String
        switch alert.reason {
        case .firing: status = alert.rule == AlertNotice.testRule ? "TEST" : "FIRING"
        case .repeated: status = "STILL FIRING"
        case .severityChanged: status = "SEVERITY CHANGED"
        case .silenceEnded: status = "STILL FIRING, SILENCE ENDED"
        case .resolved: status = "RESOLVED"
        }
        let summary = alert.summary.isEmpty ? "value \(formatValue(alert.value))" : alert.summary
        let level = alert.escalation.map { ", ESCALATION LEVEL \($0)" } ?? ""
        return "[\(status)\(level)] \(alert.severity.rawValue) \(alert.rule): \(summary)"
    }
}

extension AlertNotice {
    /// The rule name `notify-test` sends under; a digest of only such notices is a test.
    public static let testRule = "FactorwatchTest"
}

extension Digest {
    /// A digest `notify-test` made: subjects and lines say TEST.
    public var isTest: Bool { !alerts.isEmpty && alerts.allSatisfy { $0.rule == AlertNotice.testRule } }
}
