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
            return WebhookPayload(
                url: settings.url, contentType: json, body: jsonObject(["text": jsonString(text(digest, values))]))
        case .wecom:
            let content = jsonObject(["content": jsonString(text(digest, values))])
            return WebhookPayload(
                url: settings.url, contentType: json,
                body: jsonObject(["msgtype": jsonString("text"), "text": content]))
        case .dingtalk:
            let content = jsonObject(["content": jsonString(text(digest, values))])
            return WebhookPayload(
                url: dingTalkSignedURL(now: now), contentType: json,
                body: jsonObject(["msgtype": jsonString("text"), "text": content]))
        case .feishu:
            var fields = [
                "msg_type": jsonString("text"), "content": jsonObject(["text": jsonString(text(digest, values))]),
            ]
            if let secret = settings.secret?.reveal() {
                // Feishu signs an empty message with `timestamp\nsecret` as the key; seconds, not milliseconds.
                let timestamp = String(Int64(now.timeIntervalSince1970))
                let sign = TextEncodings.base64(
                    HMACSHA256.mac(
                        key: Array((timestamp + "\n" + secret).utf8),
                        message: []))
                fields["timestamp"] = jsonString(timestamp)
                fields["sign"] = jsonString(sign)
            }
            return WebhookPayload(url: settings.url, contentType: json, body: jsonObject(fields))
        case .none:
            if settings.form != nil {
                return WebhookPayload(
                    url: settings.url, contentType: form, body: TextEncodings.form(formFields(values)))
            }
            if let template = settings.bodyTemplate {
                // Values go into a JSON template escaped (without quotes), so `"{{ .Summary }}"` stays valid JSON.
                let escaped = PlaceholderTemplate.Values(
                    summary: jsonEscaped(values.summary),
                    subject: jsonEscaped(values.subject),
                    body: jsonEscaped(values.body))
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
        let alerts = digest.alerts.map { alert in
            jsonObject([
                "rule": jsonString(alert.rule), "severity": jsonString(alert.severity.rawValue),
                "status": jsonString(alert.isResolved ? "resolved" : "firing"),
                "reason": jsonString(alert.reason.rawValue),
                "labels": jsonObject(alert.labels.dictionary.mapValues(jsonString)),
                "value": alert.value.isFinite ? formatValue(alert.value) : "null",
                "summary": jsonString(alert.summary), "description": jsonString(alert.description),
                "runbook": jsonString(alert.runbook),
                "starts_at": jsonString(Timestamp.format(alert.startsAt, in: zone)),
                "ends_at": alert.endsAt.map { jsonString(Timestamp.format($0, in: zone)) } ?? "null",
            ])
        }
        return jsonObject([
            "channel": jsonString(digest.channel), "host": jsonString(digest.host),
            "subject": jsonString(values.subject), "summary": jsonString(values.summary),
            "body": jsonString(values.body),
            "alerts": "[" + alerts.joined(separator: ",") + "]",
        ])
    }
}

/// A JSON object from already-encoded values, keys sorted so bodies are stable.
func jsonObject(_ fields: [String: String]) -> String {
    "{" + fields.sorted { $0.key < $1.key }.map { jsonString($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
}

/// A JSON string literal.
func jsonString(_ text: String) -> String { "\"" + jsonEscaped(text) + "\"" }

func jsonEscaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}
