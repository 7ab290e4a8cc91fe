#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How an SMTP connection is protected.
public enum SMTPTLSMode: String, Sendable, CaseIterable {
    /// STARTTLS, and fail when the server does not offer it.
    case starttls
    /// STARTTLS when offered, plain text otherwise.
    case opportunistic
    /// TLS from the first byte (`smtps://`, usually port 465).
    case implicit
    /// Plain text: for a relay on the same host or a trusted network only.
    case none
}

/// An email channel's settings, as the channel file gives them (secrets already resolved).
public struct SMTPSettings: Sendable {
    /// `smtp://host:port` or `smtps://host:port`.
    public var url: String
    public var tls: SMTPTLSMode
    /// Check the server's certificate and host name; off only when set so explicitly.
    public var verify: Bool
    /// A PEM file of certificates to trust instead of the system's.
    public var caFile: String?
    public var username: String?
    public var password: Secret?
    /// `alerts@example.com` or `factorwatch <alerts@example.com>`.
    public var from: String
    public var to: [String]
    public var connectTimeout: Double
    /// The whole submission until the message is sent.
    public var timeout: Double
    /// How long to wait for the final reply once the message is sent (RFC 5321 §4.5.3.2.6: 10 minutes).
    public var finalReplyTimeout: Double = 600
    public var subjectTemplate: String?
    public var bodyTemplate: String?
    /// Add an HTML alternative to the plain-text body.
    public var html: Bool
    /// `base64` or `quoted-printable` (`MailTransferEncoding`'s raw values); anything else sends base64.
    public var encoding: String

    public init(
        url: String, tls: SMTPTLSMode = .starttls, verify: Bool = true, caFile: String? = nil,
        username: String? = nil, password: Secret? = nil, from: String, to: [String],
        connectTimeout: Double = 10, timeout: Double = 30, subjectTemplate: String? = nil,
        bodyTemplate: String? = nil, html: Bool = false, encoding: String = "base64"
    ) {
        self.url = url
        self.tls = tls
        self.verify = verify
        self.caFile = caFile
        self.username = username
        self.password = password
        self.from = from
        self.to = to
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.subjectTemplate = subjectTemplate
        self.bodyTemplate = bodyTemplate
        self.html = html
        self.encoding = encoding
    }
}

/// Sends each digest as one email to every recipient, through libcurl's SMTP client.
public struct SMTPChannel: Channel, CustomStringConvertible {
    public let name: String
    public let settings: SMTPSettings
    public let zone: TimeZoneRules

    public init(name: String, settings: SMTPSettings, zone: TimeZoneRules) {
        self.name = name
        self.settings = settings
        self.zone = zone
    }

    public var description: String {
        "smtp channel \(name): \(redactedURL(effectiveURL)) tls \(effectiveTLS.rawValue), "
            + "\(settings.to.count) recipient\(settings.to.count == 1 ? "" : "s")"
    }

    public func render(_ digest: Digest) -> RenderedMessage {
        let values = PlaceholderTemplate.values(for: digest, zone: zone)
        let subject = settings.subjectTemplate.map { PlaceholderTemplate($0).render(values) } ?? values.subject
        let body = settings.bodyTemplate.map { PlaceholderTemplate($0).render(values) } ?? values.body
        return RenderedMessage(subject: subject, body: body)
    }

    /// The message exactly as it goes over the wire.
    func message(_ digest: Digest) -> MIMEMessage {
        let rendered = render(digest)
        return MIMEMessage(
            from: settings.from, to: settings.to, subject: rendered.subject, date: digest.createdAt,
            zone: zone,
            domain: Self.address(settings.from).split(separator: "@").last.map(String.init)
                ?? digest.host,
            text: rendered.body, html: settings.html ? MIMEMessage.html(fromText: rendered.body) : nil,
            encoding: MailTransferEncoding(rawValue: settings.encoding) ?? .base64, messageKey: digest.deliveryKey)
    }

    public func deliver(_ digest: Digest) -> Delivery {
        let target = "smtp \(redactedURL(effectiveURL))"
        guard !settings.to.isEmpty else { return .failed("\(target): no recipients configured", retryable: false) }
        let password = settings.password?.reveal()
        var request = CurlRequest(url: effectiveURL)
        request.mailFrom = "<\(Self.address(settings.from))>"
        request.recipients = settings.to.map { "<\(Self.address($0))>" }
        request.body = Array(message(digest).rendered().utf8)
        request.username = settings.username
        request.password = password
        switch effectiveTLS {
        case .starttls: request.tls = .required
        case .opportunistic: request.tls = .opportunistic
        case .implicit, .none: request.tls = .scheme
        }
        request.verify = settings.verify
        request.caFile = settings.caFile
        request.connectTimeout = settings.connectTimeout
        request.timeout = settings.timeout
        request.finalReplyTimeout = settings.finalReplyTimeout
        let result = CurlTransfer.perform(request)
        if result.ok { return .sent }
        return CurlFailure.delivery(result, target: target, secrets: [password].compactMap { $0 })
    }

    /// `smtps://` whenever either the URL or the mode asks for implicit TLS.
    var effectiveURL: String {
        if settings.tls == .implicit, settings.url.lowercased().hasPrefix("smtp://") {
            return "smtps://" + settings.url.dropFirst("smtp://".count)
        }
        return settings.url
    }

    var effectiveTLS: SMTPTLSMode {
        effectiveURL.lowercased().hasPrefix("smtps://") ? .implicit : settings.tls
    }

    /// The bare address of `Name <user@host>` (or the text itself), with anything that could break the SMTP command
    /// line removed.
    static func address(_ text: String) -> String {
        var value = Substring(text)
        if let open = value.lastIndex(of: "<"), let close = value[open...].firstIndex(of: ">") {
            value = value[value.index(after: open)..<close]
        }
        return String(
            value.unicodeScalars.filter { $0.value > 32 && $0.value != 127 && $0 != "<" && $0 != ">" }
                .map(Character.init))
    }
}
