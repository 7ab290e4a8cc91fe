#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a mail body is made 7-bit safe.
public enum MailTransferEncoding: String, Sendable, CaseIterable {
    case base64
    case quotedPrintable = "quoted-printable"
}

/// An RFC 5322 message with a UTF-8 text body (and optionally an HTML alternative), as SMTP sends it. Every header
/// value is stripped of CR/LF and non-ASCII text is RFC 2047 encoded, so alert text cannot add headers; bodies are
/// base64 or quoted-printable, so no body line can end the DATA phase.
struct MIMEMessage: Sendable {
    var from: String
    var to: [String]
    var subject: String
    var date: Date
    var zone: TimeZoneRules
    /// The right-hand side of the Message-ID.
    var domain: String
    var text: String
    var html: String?
    var encoding: MailTransferEncoding = .base64
    /// The left-hand side of the Message-ID; random when nil. Given, every retry of a message carries the same ID.
    var messageKey: String?

    /// The whole message with CRLF line ends.
    func rendered(
        boundarySeed: UInt64 = UInt64.random(in: 0...UInt64.max),
        idSeed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) -> String {
        let left = messageKey.map { "factorwatch." + $0 }
            ?? "\(String(idSeed, radix: 36)).\(Int64(date.timeIntervalSince1970))"
        let messageID = "<\(left)@\(Self.hostPart(domain))>"
        var headers: [(String, String)] = [
            ("Date", Self.rfc5322Date(date, zone: zone)),
            ("From", TextEncodings.headerSafe(from)),
            ("To", to.map(TextEncodings.headerSafe).joined(separator: ",\r\n ")),
            ("Subject", TextEncodings.encodedHeaderValue(subject, headerName: "Subject")),
            ("Message-ID", messageID),
            ("MIME-Version", "1.0"),
            ("Auto-Submitted", "auto-generated"),
        ]
        var body: String
        if let html {
            let boundary = "=_factorwatch_" + String(boundarySeed, radix: 36)
            headers.append(("Content-Type", "multipart/alternative; boundary=\"\(boundary)\""))
            body = "This is a multipart message in MIME format.\r\n"
            body += "--\(boundary)\r\n" + part(text, type: "text/plain") + "\r\n"
            body += "--\(boundary)\r\n" + part(html, type: "text/html") + "\r\n"
            body += "--\(boundary)--\r\n"
        } else {
            headers.append(("Content-Type", "text/plain; charset=UTF-8"))
            headers.append(("Content-Transfer-Encoding", encoding.rawValue))
            body = encoded(text)
        }
        return headers.map { "\($0.0): \($0.1)\r\n" }.joined() + "\r\n" + body
    }

    private func part(_ content: String, type: String) -> String {
        "Content-Type: \(type); charset=UTF-8\r\nContent-Transfer-Encoding: \(encoding.rawValue)\r\n\r\n"
            + encoded(content)
    }

    private func encoded(_ content: String) -> String {
        switch encoding {
        // Text is canonical with CRLF line ends before it is encoded (RFC 2045 §6.8).
        case .base64: return TextEncodings.base64Lines(Array(Self.crlf(content).utf8))
        case .quotedPrintable: return TextEncodings.quotedPrintable(content) + "\r\n"
        }
    }

    static func crlf(_ text: String) -> String {
        text.replacing("\r\n", with: "\n").replacing("\r", with: "\n").replacing("\n", with: "\r\n")
    }

    /// `Tue, 24 Nov 2026 02:45:00 +0800`, in the configured zone.
    static func rfc5322Date(_ date: Date, zone: TimeZoneRules) -> String {
        let local = zone.localDateTime(date)
        let offset = zone.offset(at: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let magnitude = abs(offset) / 60
        return "\(days[local.date.weekday]), \(local.date.day) \(months[local.date.month - 1]) \(local.date.year) "
            + "\(pad(local.hour, 2)):\(pad(local.minute, 2)):\(pad(local.second, 2)) "
            + "\(offset < 0 ? "-" : "+")\(pad(magnitude / 60, 2))\(pad(magnitude % 60, 2))"
    }

    /// A host name reduced to the characters a Message-ID may hold.
    static func hostPart(_ host: String) -> String {
        let kept = host.unicodeScalars.filter {
            $0.isASCII
                && ($0.properties.isAlphabetic
                    || $0.properties.numericType
                        != nil
                    || $0 == "." || $0 == "-")
        }
        return kept.isEmpty ? "localhost" : String(String.UnicodeScalarView(kept))
    }

    /// The text body as simple HTML: escaped and kept in a monospaced block, as people read digests.
    static func html(fromText text: String) -> String {
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
            + "<pre style=\"font-family: monospace\">\(escapeHTML(text))</pre>\n</body></html>\n"
    }
}
