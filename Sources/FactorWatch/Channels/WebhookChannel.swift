#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A webhook channel's settings, as the channel file gives them (secrets already resolved).
public struct WebhookSettings: Sendable {
    public var url: String
    public var preset: WebhookPreset
    public var method: String
    /// Basic authentication (twilio: the account SID).
    public var username: String?
    public var password: Secret?
    public var headers: [String: String]
    /// Headers whose values are secrets (`value_file`/`value_env`): sent, never shown.
    public var secretHeaders: [String: Secret] = [:]
    /// Form fields (values may hold placeholders); set, the request is form-encoded.
    public var form: [String: String]?
    public var bodyTemplate: String?
    /// DingTalk's or Feishu's signing secret.
    public var secret: Secret?
    /// twilio: the SMS body is cut to this many characters.
    public var maxLength: Int
    public var verify: Bool
    public var caFile: String?
    public var connectTimeout: Double
    public var timeout: Double

    public init(
        url: String, preset: WebhookPreset = .none, method: String = "POST", username: String? = nil,
        password: Secret? = nil, headers: [String: String] = [:], form: [String: String]? = nil,
        bodyTemplate: String? = nil, secret: Secret? = nil, maxLength: Int = 160, verify: Bool = true,
        caFile: String? = nil, connectTimeout: Double = 10, timeout: Double = 30
    ) {
        self.url = url
        self.preset = preset
        self.method = method
        self.username = username
        self.password = password
        self.headers = headers
        self.form = form
        self.bodyTemplate = bodyTemplate
        self.secret = secret
        self.maxLength = maxLength
        self.verify = verify
        self.caFile = caFile
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }
}

/// Posts each digest to an HTTP endpoint: SMS gateways, chat robots, or anything taking JSON or forms (Alertmanager
/// has a channel of its own, `AlertmanagerChannel`).
public struct WebhookChannel: Channel, CustomStringConvertible {
    public let name: String
    public let settings: WebhookSettings
    public let zone: TimeZoneRules
    /// The clock for signatures' timestamps.
    let now: @Sendable () -> Date

    public init(
        name: String, settings: WebhookSettings, zone: TimeZoneRules,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.name = name
        self.settings = settings
        self.zone = zone
        self.now = now
    }

    public var description: String {
        "webhook channel \(name): \(settings.preset.rawValue) \(settings.method.uppercased()) "
            + redactedURL(settings.url)
    }

    var formatter: WebhookPresetFormatter { WebhookPresetFormatter(settings: settings, zone: zone) }

    public func render(_ digest: Digest) -> RenderedMessage {
        let values = PlaceholderTemplate.values(for: digest, zone: zone)
        return RenderedMessage(subject: values.subject, body: formatter.text(digest, values))
    }

    /// The request as it would be sent.
    func payload(_ digest: Digest) -> WebhookPayload {
        formatter.payload(digest, PlaceholderTemplate.values(for: digest, zone: zone), now: now())
    }

    public func deliver(_ digest: Digest) -> Delivery {
        let payload = payload(digest)
        let target = "webhook \(redactedURL(payload.url))"
        var request = CurlRequest(url: payload.url)
        request.method = settings.method
        request.body = Array(payload.body.utf8)
        let given = settings.headers.merging(settings.secretHeaders.mapValues { $0.reveal() }) { plain, _ in plain }
        var headers = given.sorted { $0.key < $1.key }.map {
            TextEncodings.headerSafe($0.key) + ": " + TextEncodings.headerSafe($0.value)
        }
        // The same key at every retry of this notification (the IETF httpapi draft's header name).
        if !given.keys.contains(where: { $0.lowercased() == "idempotency-key" }) {
            headers.append("Idempotency-Key: \(digest.deliveryKey)")
        }
        if !given.keys.contains(where: { $0.lowercased() == "content-type" }) {
            headers.append(
                "Content-Type: \(payload.contentType)"
                    + (payload.contentType.contains("json")
                        ? "; charset=utf-8" : ""))
        }
        request.headers = headers
        request.username = settings.username
        request.password = settings.password?.reveal()
        request.verify = settings.verify
        request.caFile = settings.caFile
        request.connectTimeout = settings.connectTimeout
        request.timeout = settings.timeout

        let result = CurlTransfer.perform(request)
        let secrets = secretTexts(payload.url)
        guard result.ok else { return CurlFailure.delivery(result, target: target, secrets: secrets) }
        let status = result.responseCode
        let excerpt = Self.excerpt(result.responseText)
        switch status {
        case 200..<300:
            if let (message, retryable) = formatter.rejection(result.responseBody) {
                return .failed(
                    redacting(
                        "\(target): HTTP \(status) but the service refused the message: \(message)",
                        secrets), retryable: retryable)
            }
            return .sent
        case 429, 500..<600:
            return .failed(redacting("\(target): HTTP \(status)\(excerpt); will retry", secrets), retryable: true)
        case 401, 403:
            return .failed(
                redacting(
                    "\(target): HTTP \(status)\(excerpt): authentication failed; check the "
                        + "credentials or token", secrets), retryable: false)
        default:
            return .failed(redacting("\(target): HTTP \(status)\(excerpt)", secrets), retryable: false)
        }
    }

    /// Everything that must not be shown: credentials, the signing secret, and the URL's path and query (tokens live
    /// there: Slack's hook path, DingTalk's access_token).
    private func secretTexts(_ url: String) -> [String] {
        var texts = [settings.password?.reveal(), settings.secret?.reveal(), settings.username, url, settings.url]
            .compactMap { $0 }.filter { !$0.isEmpty }
        // Header values are credentials more often than not (a token from ${VAR}, an API key): all but the few
        // that describe the content are kept out of errors, whole and word by word (`Bearer TOKEN`).
        let harmless: Set<String> = ["content-type", "accept", "user-agent", "idempotency-key"]
        let values = settings.headers.filter { !harmless.contains($0.key.lowercased()) }.map(\.value)
            + settings.secretHeaders.values.map { $0.reveal() }
        for value in values {
            texts.append(value)
            texts += value.split(separator: " ").map(String.init).filter { $0.count >= 8 }
        }
        let afterScheme = url.firstRange(of: "://").map { url[$0.upperBound...] } ?? Substring(url)
        if let pathStart = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) {
            let rest = afterScheme[pathStart...]
            texts.append(String(rest))
            texts += rest.split(whereSeparator: { "/?&=".contains($0) }).map(String.init).filter { $0.count >= 8 }
        }
        return texts
    }

    /// `: first 200 characters of the answer`, on one line; empty for an empty answer.
    static func excerpt(_ body: String) -> String {
        let line = body.split(whereSeparator: \.isNewline).joined(separator: " ").trimmed()
        if line.isEmpty { return "" }
        return ": " + (line.count > 200 ? String(line.prefix(200)) + "…" : line)
    }
}
