#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An Alertmanager channel's settings, as `channels/NAME.yaml` gives them (secrets already resolved).
public struct AlertmanagerSettings: Sendable {
    /// Every peer of the cluster. Each evaluation posts to all of them; none is preferred or skipped.
    public var urls: [String]
    /// How long Alertmanager keeps an alert active without hearing of it again: `endsAt` = now + validity.
    public var validity: Double
    /// Where an alert links back to (`generatorURL`), when set.
    public var generatorURL: String?
    /// Local silences are also created (and expired) in Alertmanager.
    public var mirrorSilences: Bool
    public var headers: [String: String] = [:]
    public var username: String?
    public var password: Secret?
    public var verify = true
    public var caFile: String?
    public var connectTimeout: Double = 5
    public var timeout: Double = 15

    /// The evaluation interval `validity` defaults to three of: two runs may be missed or held up by the run lock
    /// before Alertmanager resolves a still-firing alert on its own.
    public static let defaultInterval: Double = 300
    public static func defaultValidity(interval: Double) -> Double { 3 * interval }

    public init(urls: [String], validity: Double = defaultValidity(interval: defaultInterval),
                generatorURL: String? = nil, mirrorSilences: Bool = false) {
        self.urls = urls
        self.validity = validity
        self.generatorURL = generatorURL
        self.mirrorSilences = mirrorSilences
    }
}

/// Hands alerts to an Alertmanager cluster through its v2 API. Every evaluation re-sends every firing alert with
/// `endsAt` = now + validity, and a resolved one with `endsAt` = when it resolved; grouping, de-duplication, repeat,
/// routing, silences and inhibition are Alertmanager's.
public struct AlertmanagerChannel: Channel, CustomStringConvertible {
    public let name: String
    public let settings: AlertmanagerSettings

    public init(name: String, settings: AlertmanagerSettings) {
        self.name = name
        self.settings = settings
    }

    public var resendsEveryEvaluation: Bool { true }

    public var description: String {
        "alertmanager channel \(name): " + settings.urls.map(redactedURL).joined(separator: ", ")
    }

    public func render(_ digest: Digest) -> RenderedMessage {
        RenderedMessage(subject: DigestFormatter.subject(digest), body: AlertmanagerPayload.alerts(digest, settings))
    }

    /// Posts the digest to every peer. It is delivered only when every peer took it: a peer that is down is
    /// reported and retried (re-posting to the others is harmless, Alertmanager merges the same alert).
    public func deliver(_ digest: Digest) -> Delivery {
        let body = Array(AlertmanagerPayload.alerts(digest, settings).utf8)
        var failures: [String] = []
        var retryable = false
        for url in settings.urls {
            if case .failed(let message, let again) = post(body, to: AlertmanagerPayload.endpoint(url, "alerts")) {
                failures.append(message)
                retryable = retryable || again
            }
        }
        guard !failures.isEmpty else { return .sent }
        let reached = settings.urls.count - failures.count
        let prefix = settings.urls.count > 1 ? "\(reached) of \(settings.urls.count) peers took it; " : ""
        return .failed(prefix + failures.joined(separator: "; "), retryable: retryable)
    }

    /// One request to one peer: `.sent` on 2xx.
    func post(_ body: [UInt8], to url: String, method: String = "POST") -> Delivery {
        let result = CurlTransfer.perform(request(url, method: method, body: body))
        return Self.outcome(result, target: "alertmanager \(redactedURL(url))", secrets: secrets(url))
    }

    func request(_ url: String, method: String, body: [UInt8]) -> CurlRequest {
        var request = CurlRequest(url: url)
        request.method = method
        request.body = body
        request.headers = settings.headers.sorted { $0.key < $1.key }.map {
            TextEncodings.headerSafe($0.key) + ": " + TextEncodings.headerSafe($0.value)
        } + (body.isEmpty ? [] : ["Content-Type: application/json"])
        request.username = settings.username
        request.password = settings.password?.reveal()
        request.verify = settings.verify
        request.caFile = settings.caFile
        request.connectTimeout = settings.connectTimeout
        request.timeout = settings.timeout
        return request
    }

    static func outcome(_ result: CurlResult, target: String, secrets: [String]) -> Delivery {
        guard result.ok else { return CurlFailure.delivery(result, target: target, secrets: secrets) }
        let status = result.responseCode
        if (200..<300).contains(status) { return .sent }
        let excerpt = WebhookChannel.excerpt(result.responseText)
        let retryable = status == 429 || status >= 500
        return .failed(redacting("\(target): HTTP \(status)\(excerpt)\(retryable ? "; will retry" : "")", secrets),
                       retryable: retryable)
    }

    func secrets(_ url: String) -> [String] {
        [settings.password?.reveal(), settings.username, url].compactMap { $0 }.filter { !$0.isEmpty }
            + settings.headers.values.filter { $0.count >= 8 }
    }
}

/// The JSON Alertmanager's v2 API takes.
enum AlertmanagerPayload {
    /// A base URL (`http://am:9093`, with or without a route prefix) gets `/api/v2/<resource>`; a URL that already
    /// ends in `/api/v2/alerts` is kept as given.
    static func endpoint(_ base: String, _ resource: String) -> String {
        var url = base
        if url.hasSuffix("/api/v2/alerts") { url.removeLast("/api/v2/alerts".count) }
        while url.hasSuffix("/") { url.removeLast() }
        return url + "/api/v2/" + resource
    }

    /// `postableAlerts`: labels, annotations, `startsAt`, `endsAt` and `generatorURL` of every alert in the digest.
    static func alerts(_ digest: Digest, _ settings: AlertmanagerSettings) -> String {
        let validUntil = digest.createdAt.addingTimeInterval(settings.validity)
        let generator = settings.generatorURL.flatMap { $0.isEmpty ? nil : $0 }
        return jsonBody(digest.alerts.map { alert in
            PostableAlert(labels: labels(alert, host: digest.host), annotations: annotations(alert),
                          startsAt: time(alert.startsAt),
                          endsAt: time(alert.isResolved ? alert.endsAt ?? digest.createdAt : validUntil),
                          generatorURL: generator)
        })
    }

    /// One of `postableAlerts`; `generatorURL` is left out when none is configured.
    struct PostableAlert: Encodable {
        var labels, annotations: [String: String]
        var startsAt, endsAt: String
        var generatorURL: String?
    }

    /// The alert's labels, then `alertname`, `severity` and `host` (a label of the alert's own named `host` wins).
    /// Names are made valid Prometheus label names; empty values are left out, as Prometheus does.
    static func labels(_ alert: AlertNotice, host: String) -> [String: String] {
        var labels: [String: String] = [:]
        for label in alert.labels where !label.value.isEmpty { labels[labelName(label.name)] = label.value }
        labels["alertname"] = alert.rule
        labels["severity"] = alert.severity.rawValue
        if labels["host"] == nil, !host.isEmpty { labels["host"] = host }
        return labels
    }

    /// `summary`, `description`, `runbook_url` and every other annotation the rule gives.
    static func annotations(_ alert: AlertNotice) -> [String: String] {
        var annotations: [String: String] = [:]
        for (name, value) in alert.annotations ?? [:] where !value.isEmpty { annotations[labelName(name)] = value }
        if !alert.summary.isEmpty { annotations["summary"] = alert.summary }
        if !alert.description.isEmpty { annotations["description"] = alert.description }
        if !alert.runbook.isEmpty { annotations["runbook_url"] = alert.runbook }
        return annotations
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`: anything else becomes `_` (Alertmanager refuses the whole request otherwise).
    static func labelName(_ name: String) -> String {
        var out = ""
        for (index, scalar) in name.unicodeScalars.enumerated() {
            let letter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
            let digit = ("0"..."9").contains(scalar)
            out.unicodeScalars.append(letter || (digit && index > 0) ? scalar : "_")
        }
        return out.isEmpty ? "_" : out
    }

    static func time(_ date: Date) -> String { Timestamp.format(date, in: .utc) }
}
