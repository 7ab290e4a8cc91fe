#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The shape of a webhook's request: a service's own format, or `none` for a template or a generic JSON document.
public enum WebhookPreset: String, Sendable, CaseIterable {
    case none, twilio, slack, dingtalk, wecom, feishu
}

/// The request a preset makes of one digest.
struct WebhookPayload: Sendable, Equatable {
    var url: String
    var contentType: String
    var body: String
}

/// Builds each preset's request and reads each service's answer.
struct WebhookPresetFormatter: Sendable {
    let settings: WebhookSettings
    let zone: TimeZoneRules

    /// The text people read: the SMS for twilio, the chat message for chat services, the digest body otherwise.
    func text(_ digest: Digest, _ values: PlaceholderTemplate.Values) -> String {
        switch settings.preset {
        case .twilio:
            return truncated(formFields(values).first { $0.0 == "Body" }?.1 ?? values.summary)
        case .slack, .dingtalk, .wecom, .feishu:
            return settings.bodyTemplate.map { PlaceholderTemplate($0).render(values) }
                ?? values.subject + "\n\n" + values.body
        case .none:
            return settings.bodyTemplate.map { PlaceholderTemplate($0).render(values) } ?? values.body
        }
    }

    func payload(_ digest: Digest, _ values: PlaceholderTemplate.Values, now: Date) -> WebhookPayload {
        let json = "application/json"
        let form = "application/x-www-form-urlencoded"
        switch settings.preset {
        case .twilio:
            let fields = formFields(values).map { $0.0 == "Body" ? ($0.0, truncated($0.1)) : $0 }
            return WebhookPayload(url: settings.url, contentType: form, body: TextEncodings.form(fields))
        case .slack:
            return WebhookPayload(url: settings.url, contentType: json, body: jsonBody(["text": text(digest, values)]))
        case .wecom:
            return WebhookPayload(url: settings.url, contentType: json, body: jsonBody(ChatText(text(digest, values))))
        case .dingtalk:
            return WebhookPayload(
                url: dingTalkSignedURL(now: now), contentType: json, body: jsonBody(ChatText(text(digest, values))))
        case .feishu:
            var message = FeishuText(text: text(digest, values))
            if let secret = settings.secret?.reveal() {
                // Feishu signs an empty message with `timestamp\nsecret` as the key; seconds, not milliseconds.
                let timestamp = String(Int64(now.timeIntervalSince1970))
                message.timestamp = timestamp
                message.sign = TextEncodings.base64(
                    HMACSHA256.mac(key: Array((timestamp + "\n" + secret).utf8), message: []))
            }
            return WebhookPayload(url: settings.url, contentType: json, body: jsonBody(message))
        case .none:
            if settings.form != nil {
                return WebhookPayload(
                    url: settings.url, contentType: form, body: TextEncodings.form(formFields(values)))
            }
            if let template = settings.bodyTemplate {
                // Values go into a JSON template escaped (without quotes), so `"{{ .Summary }}"` stays valid JSON.
                let escaped = PlaceholderTemplate.Values(
                    summary: JSONWriter.compact.escaped(values.summary),
                    subject: JSONWriter.compact.escaped(values.subject),
                    body: JSONWriter.compact.escaped(values.body))
                let isJSON = headerContentType?.lowercased().contains("json") ?? true
                return WebhookPayload(
                    url: settings.url, contentType: headerContentType ?? json,
                    body: PlaceholderTemplate(template).render(isJSON ? escaped : values))
            }
            return WebhookPayload(url: settings.url, contentType: json, body: genericBody(digest, values))
        }
    }

    /// A 2xx answer that still reports a failure (chat services answer 200 with an error code), or nil.
    func rejection(_ responseBody: [UInt8]) -> (message: String, retryable: Bool)? {
        struct Answer: Decodable {
            var errcode: Int?
            var errmsg: String?
            var code: Int?
            var msg: String?
            var StatusCode: Int?
            var StatusMessage: String?
        }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(responseBody))
        switch settings.preset {
        case .dingtalk, .wecom:
            guard let code = answer?.errcode, code != 0 else { return nil }
            // Rate limits: DingTalk 130101 (send too fast), WeCom 45009 (API freq out of limit).
            return ("errcode \(code): \(answer?.errmsg ?? "")", code == 130101 || code == 45009)
        case .feishu:
            guard let code = answer?.code ?? answer?.StatusCode, code != 0 else { return nil }
            // 11232: Feishu's frequency limit.
            return ("code \(code): \(answer?.msg ?? answer?.StatusMessage ?? "")", code == 11232)
        default:
            return nil
        }
    }

    // MARK: - Pieces

    private var headerContentType: String? {
        settings.headers.first { $0.key.lowercased() == "content-type" }?.value
    }

    /// The configured form fields (sorted by name, so requests are stable), templates rendered; twilio gets a Body
    /// of the summary when none is configured.
    func formFields(_ values: PlaceholderTemplate.Values) -> [(String, String)] {
        var fields = (settings.form ?? [:]).sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        if settings.preset == .twilio, !fields.contains(where: { $0.0 == "Body" }) {
            fields.append(("Body", "{{ .Summary }}"))
        }
        return fields.map { ($0.0, PlaceholderTemplate($0.1).render(values)) }
    }

    /// At most `maxLength` characters (grapheme clusters, so no character is split), ending in `…` when cut.
    func truncated(_ text: String) -> String {
        guard settings.maxLength > 0, text.count > settings.maxLength else { return text }
        return String(text.prefix(max(0, settings.maxLength - 1))) + "…"
    }

    /// The URL with `timestamp` (milliseconds) and `sign` = base64(HMAC-SHA256(secret, "timestamp\nsecret")) added.
    func dingTalkSignedURL(now: Date) -> String {
        guard let secret = settings.secret?.reveal(), !secret.isEmpty else { return settings.url }
        let timestamp = String(Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        let sign = TextEncodings.base64(HMACSHA256.mac(key: secret, message: timestamp + "\n" + secret))
        let separator = settings.url.contains("?") ? "&" : "?"
        return settings.url + separator + "timestamp=\(timestamp)&sign=" + TextEncodings.percentEncode(sign)
    }

    private func genericBody(_ digest: Digest, _ values: PlaceholderTemplate.Values) -> String {
        jsonBody(GenericBody(
            channel: digest.channel, host: digest.host, subject: values.subject, summary: values.summary,
            body: values.body, alerts: digest.alerts.map { GenericAlert($0, zone: zone) }))
    }
}

/// A request body through the one JSON writer: one line, keys sorted so bodies are stable.
func jsonBody(_ value: some Encodable) -> String { JSONWriter.compact.string(value) }

/// WeCom's and DingTalk's text message: `{"msgtype": "text", "text": {"content": …}}`.
struct ChatText: Encodable {
    var msgtype = "text"
    var text: [String: String]
    init(_ content: String) { text = ["content": content] }
}

/// Feishu's text message, signed when the bot has a secret: `{"msg_type": "text", "content": {"text": …}}`.
struct FeishuText: Encodable {
    var msgType = "text"
    var content: [String: String]
    var timestamp: String?
    var sign: String?
    init(text: String) { content = ["text": text] }

    enum CodingKeys: String, CodingKey { case msgType = "msg_type", content, timestamp, sign }
}

/// The `none` preset's document: the digest's texts and every alert.
struct GenericBody: Encodable {
    var channel, host, subject, summary, body: String
    var alerts: [GenericAlert]
}

struct GenericAlert: Encodable {
    var rule, severity, status, reason, summary, description, runbook, startsAt: String
    var labels: [String: String]
    /// Six significant digits, as the text shows it; null when not finite.
    var value: JSONNumber
    /// null while firing.
    var endsAt: String?

    init(_ alert: AlertNotice, zone: TimeZoneRules) {
        rule = alert.rule
        severity = alert.severity.rawValue
        status = alert.isResolved ? "resolved" : "firing"
        reason = alert.reason.rawValue
        summary = alert.summary
        description = alert.description
        runbook = alert.runbook
        startsAt = Timestamp.format(alert.startsAt, in: zone)
        labels = alert.labels.dictionary
        value = JSONNumber(alert.value.isFinite ? Double(formatValue(alert.value)) ?? alert.value : .nan)
        endsAt = alert.endsAt.map { Timestamp.format($0, in: zone) }
    }

    enum CodingKeys: String, CodingKey {
        case rule, severity, status, reason, summary, description, runbook, labels, value
        case startsAt = "starts_at", endsAt = "ends_at"
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        for (key, text) in [(CodingKeys.rule, rule), (.severity, severity), (.status, status), (.reason, reason),
                            (.summary, summary), (.description, description), (.runbook, runbook),
                            (.startsAt, startsAt)] {
            try c.encode(text, forKey: key)
        }
        try c.encode(labels, forKey: .labels)
        try c.encode(value, forKey: .value)
        try c.encode(endsAt, forKey: .endsAt)
    }
}
