#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Appends notices to a file (or standard output), one line per alert: text for people, JSON lines for machines.
public struct LogChannel: Channel {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public let name: String
    /// A file path, or `-` for standard output.
    public let path: String
    public let format: Format
    public let zone: TimeZoneRules

    public init(name: String, path: String, format: Format = .text, zone: TimeZoneRules) {
        self.name = name
        self.path = path
        self.format = format
        self.zone = zone
    }

    public func render(_ digest: Digest) -> RenderedMessage {
        RenderedMessage(subject: DigestFormatter.subject(digest), body: lines(digest).joined(separator: "\n"))
    }

    public func deliver(_ digest: Digest) -> Delivery {
        let text = lines(digest).map { $0 + "\n" }.joined()
        if path == "-" {
            print(text, terminator: "")
            return .sent
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            return .failed("cannot open \(path): \(String(cString: strerror(errno)))", retryable: true)
        }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                return .failed("cannot write \(path): \(String(cString: strerror(errno)))", retryable: true)
            }
            offset += written
        }
        bytes.removeAll()
        return .sent
    }

    func lines(_ digest: Digest) -> [String] {
        let time = Timestamp.format(digest.createdAt, in: zone)
        switch format {
        case .text:
            return digest.alerts.map { alert in
                Self.oneLine("\(time) \(DigestFormatter.line(alert))"
                             + (alert.labels.isEmpty ? "" : " \(alert.labels)"))
            }
        case .json:
            return digest.alerts.map { alert in
                let line = LogLine(time: time, host: digest.host, rule: alert.rule, severity: alert.severity.rawValue,
                                   status: alert.isResolved ? "resolved" : "firing", reason: alert.reason.rawValue,
                                   labels: alert.labels.dictionary, value: JSONNumber(alert.value),
                                   summary: alert.summary,
                                   startsAt: Timestamp.format(alert.startsAt, in: zone),
                                   endsAt: alert.endsAt.map { Timestamp.format($0, in: zone) })
                return JSONWriter.compact.string(line)
            }
        }
    }
}

extension LogChannel {
    /// One text log line whatever the alert says: a line break or other control character in a label or summary
    /// is written escaped (`\n`), so nobody can forge a log line by naming a file `x\n2026-… RESOLVED …`.
    static func oneLine(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85
                || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

private struct LogLine: Encodable {
    var time: String
    var host: String
    var rule: String
    var severity: String
    var status: String
    var reason: String
    var labels: [String: String]
    var value: JSONNumber
    var summary: String
    var startsAt: String
    var endsAt: String?

    enum CodingKeys: String, CodingKey {
        case time, host, rule, severity, status, reason, labels, value, summary
        case startsAt = "starts_at", endsAt = "ends_at"
    }
}
