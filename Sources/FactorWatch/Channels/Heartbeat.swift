#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A dead man's switch off the box, healthchecks.io style: each `eval` pings `URL/start` as it begins, `URL` when
/// it ends cleanly and `URL/fail` (body: `exit N` and what went wrong) when it does not. A run that dies sends no
/// success, and one that never starts sends nothing, so the service notices a dead cron, host or factorwatch when
/// the pings stop. Every ping of one run carries the same `rid`, so the service pairs start and end.
public struct Heartbeat: Sendable, Equatable {
    /// The check's ping URL (it holds the check's key: only its scheme and host are ever printed).
    public var url: Secret
    /// Seconds one ping may take in all: a slow heartbeat service never holds eval up for long.
    public var timeout: Double
    /// Ping `/start` when the run begins (healthchecks.io then also measures how long runs take).
    public var start: Bool
    public var verify = true
    public var caFile: String?

    public init(url: Secret, timeout: Double = 10, start: Bool = true) {
        self.url = url
        self.timeout = timeout
        self.start = start
    }

    public enum Ping: Sendable, Equatable {
        case start
        case success
        case failure(exitCode: Int32, detail: String)
    }

    /// The URL and body of one ping of run `runID`.
    func request(_ ping: Ping, runID: String) -> (url: String, body: String) {
        var base = url.reveal()
        var query = ""
        if let mark = base.firstIndex(of: "?") {
            query = String(base[base.index(after: mark)...])
            base = String(base[..<mark])
        }
        while base.hasSuffix("/") { base.removeLast() }
        let body: String
        switch ping {
        case .start:
            base += "/start"
            body = ""
        case .success:
            body = "ok"
        case .failure(let code, let detail):
            base += "/fail"
            body = "exit \(code)\n" + Self.cut(detail, to: 2_000)
        }
        query += (query.isEmpty ? "" : "&") + "rid=" + runID
        return (base + "?" + query, body)
    }

    /// Sends one ping; nil when the service accepted it (2xx), else why not, for standard error. Never fatal.
    @discardableResult
    public func send(_ ping: Ping, runID: String) -> String? {
        let (target, body) = request(ping, runID: runID)
        var request = CurlRequest(url: target)
        request.method = "POST"
        request.headers = ["Content-Type: text/plain; charset=utf-8"]
        request.body = Array(body.utf8)
        request.connectTimeout = min(timeout, 5)
        request.timeout = timeout
        request.verify = verify
        request.caFile = caFile
        request.maxResponseBytes = 1_024
        let result = CurlTransfer.perform(request)
        let shown = "heartbeat \(redactedURL(target))"
        let secrets = [url.reveal(), target]
        if !result.ok { return redacting("\(shown): \(result.errorText)", secrets) }
        guard (200..<300).contains(result.responseCode) else {
            return redacting("\(shown): HTTP \(result.responseCode)\(WebhookChannel.excerpt(result.responseText))",
                             secrets)
        }
        return nil
    }

    /// A fresh run id (a UUID, as healthchecks.io's `rid` wants).
    public static func newRunID() -> String { UUID().uuidString.lowercased() }

    static func cut(_ text: String, to limit: Int) -> String {
        text.utf8.count <= limit ? text : String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
    }
}
