#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One notification an evaluation handed to a channel: the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var at: Date
    public var channel: String
    public var subject: String
    /// `sent`, `queued` or `dead`, as the evaluation reported it.
    public var status: String
    /// The rules the notification spoke of.
    public var alerts: [String]
    public var error: String?

    public init(at: Date, channel: String, subject: String, status: String, alerts: [String], error: String?) {
        self.at = at
        self.channel = channel
        self.subject = subject
        self.status = status
        self.alerts = alerts
        self.error = error
    }
}

/// One finished run of a pipeline job, as `factorwatch run` recorded it.
public struct RunPoint: Sendable, Equatable {
    public var job: String
    public var finishedAt: Date
    public var duration: Double
    public var exitCode: Double

    public init(job: String, finishedAt: Date, duration: Double, exitCode: Double) {
        self.job = job
        self.finishedAt = finishedAt
        self.duration = duration
        self.exitCode = exitCode
    }
}

extension HistoryStore {
    /// Appends what one evaluation sent (or tried to send); a dry run records nothing.
    public func recordNotifications(_ notifications: [NotificationReport], at now: Date) throws {
        for notification in notifications where notification.status != .wouldSend {
            try database.query("""
                INSERT INTO history_notifications (at, channel, subject, status, alerts, error) VALUES (?,?,?,?,?,?)
                """, [.real(now.timeIntervalSince1970), .text(notification.channel), .text(notification.subject),
                      .text(notification.status.rawValue), .text(notification.alerts.joined(separator: "\n")),
                      notification.error.map { .text($0) } ?? .null])
        }
    }

    /// The audit log between two instants, oldest first.
    public func notifications(from: Date = Date(timeIntervalSince1970: 0), to: Date) throws -> [AuditEntry] {
        guard available else { return [] }
        return try database.query("""
            SELECT at, channel, subject, status, alerts, error FROM history_notifications
            WHERE at >= ? AND at <= ? ORDER BY at, id
            """, [.real(from.timeIntervalSince1970), .real(to.timeIntervalSince1970)]).compactMap { row in
            guard let at = row[0].double, let channel = row[1].string else { return nil }
            let alerts = (row[4].string ?? "").split(separator: "\n").map(String.init)
            return AuditEntry(at: Date(timeIntervalSince1970: at), channel: channel, subject: row[2].string ?? "",
                              status: row[3].string ?? "", alerts: alerts, error: row[5].string)
        }
    }

    /// Finished job runs (from the `job_runs` table `factorwatch run` writes) up to `to`, oldest first. The
    /// table is absent from a database no run has used yet: no runs.
    public func runs(to: Date) throws -> [RunPoint] {
        let exists = try database.query(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'job_runs'").first?.first?.int64 ?? 0
        guard exists > 0 else { return [] }
        return try database.query("""
            SELECT job, finished_at, finished_at - started_at, exit_code FROM job_runs
            WHERE finished_at IS NOT NULL AND finished_at <= ? ORDER BY job, finished_at, id
            """, [.real(to.timeIntervalSince1970)]).compactMap { row in
            guard let job = row[0].string, let finished = row[1].double, let duration = row[2].double else {
                return nil
            }
            return RunPoint(job: job, finishedAt: Date(timeIntervalSince1970: finished), duration: duration,
                            exitCode: row[3].double ?? -1)
        }
    }
}
