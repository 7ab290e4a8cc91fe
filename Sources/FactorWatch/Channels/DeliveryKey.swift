#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Digest {
    /// A key that is the same at every attempt to deliver this outbox entry and different for any other: a hash
    /// of the channel, host, time and every alert it carries (rule, labels, reason, severity, start). The stored
    /// digest is what each retry sends, so a retry reuses it: the email's Message-ID and the webhook's
    /// `Idempotency-Key` let a receiver that took the first attempt recognise the second one.
    public var deliveryKey: String {
        var text = "\(channel)\n\(host)\n\(Self.milliseconds(createdAt))\n"
        for alert in alerts {
            text += "\(alert.rule)\u{1F}\(alert.labels)\u{1F}\(alert.reason.rawValue)\u{1F}\(alert.severity.rawValue)"
                + "\u{1F}\(Self.milliseconds(alert.startsAt))\n"
        }
        return HMACSHA256.sha256(Array(text.utf8)).prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        let value = (date.timeIntervalSince1970 * 1000).rounded()
        return value.isFinite && abs(value) < 9e15 ? Int64(value) : 0
    }
}
