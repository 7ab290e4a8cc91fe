#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps Alertmanager's silences in step with the ones made by `factorwatch silence`, for a channel with
/// `mirror_silences`. Stateless: each evaluation lists the cluster's silences, creates the missing ones and
/// expires those whose local silence has ended. A mirrored silence is known by its comment's tag,
/// `[factorwatch@HOST #ID]`, so several hosts can share one cluster.
struct AlertmanagerSilenceMirror {
    let channel: AlertmanagerChannel
    let host: String

    struct Remote: Decodable {
        struct Status: Decodable { var state: String }
        var id: String
        var comment: String
        var status: Status
    }

    func tag(_ id: Int64) -> String { "[factorwatch@\(host) #\(id)]" }

    /// Brings the cluster in line with `local` (the stored silences active now). Nil when done, else why not.
    func reconcile(_ local: [Silence]) -> String? {
        var problems: [String] = []
        for url in channel.settings.urls {
            // Silences gossip across the cluster: the first peer that answers is enough.
            switch list(url) {
            case .failure(let failure):
                problems.append(failure.message)
            case .success(let remote):
                let active = remote.filter { $0.status.state != "expired" }
                let mirrored = Set(active.map(\.comment))
                var failures: [String] = []
                for silence in local where !mirrored.contains(where: { $0.hasPrefix(tag(silence.id) + " ") }) {
                    if case .failed(let message, _) = channel.post(body(silence), to: endpoint(url, "silences")) {
                        failures.append("silence #\(silence.id): \(message)")
                    }
                }
                let wanted = Set(local.map { tag($0.id) + " " })
                for silence in active where silence.comment.hasPrefix("[factorwatch@\(host) #")
                    && !wanted.contains(where: silence.comment.hasPrefix) {
                    if case .failed(let message, _) = channel.post([], to: endpoint(url, "silence/\(silence.id)"),
                                                                   method: "DELETE") {
                        failures.append("expiring \(silence.id): \(message)")
                    }
                }
                return failures.isEmpty ? nil : failures.joined(separator: "; ")
            }
        }
        return "no Alertmanager peer answered: " + problems.joined(separator: "; ")
    }

    private func endpoint(_ url: String, _ resource: String) -> String { AlertmanagerPayload.endpoint(url, resource) }

    private func list(_ url: String) -> Result<[Remote], MirrorFailure> {
        let target = endpoint(url, "silences")
        let result = CurlTransfer.perform(channel.request(target, method: "GET", body: []))
        if case .failed(let message, _) = AlertmanagerChannel.outcome(
            result, target: "alertmanager \(redactedURL(target))", secrets: channel.secrets(target)) {
            return .failure(MirrorFailure(message: message))
        }
        guard let remote = try? JSONDecoder().decode([Remote].self, from: Data(result.responseBody)) else {
            return .failure(MirrorFailure(message: "alertmanager \(redactedURL(target)): not a list of silences"))
        }
        return .success(remote)
    }

    /// `postableSilence`: the rule as `alertname`, each matcher as Alertmanager writes it.
    func body(_ silence: Silence) -> [UInt8] {
        var matchers = silence.matchers.map { matcher in
            PostableSilence.Matcher(name: matcher.name, value: matcher.value,
                                    isRegex: matcher.kind == .regex || matcher.kind == .notRegex,
                                    isEqual: matcher.kind == .equal || matcher.kind == .regex)
        }
        if let rule = silence.rule {
            matchers.insert(.init(name: "alertname", value: rule, isRegex: false, isEqual: true), at: 0)
        }
        return Array(jsonBody(PostableSilence(
            matchers: matchers, startsAt: AlertmanagerPayload.time(silence.startsAt),
            endsAt: AlertmanagerPayload.time(silence.endsAt),
            createdBy: silence.createdBy.isEmpty ? "factorwatch" : silence.createdBy,
            comment: tag(silence.id) + " " + silence.comment)).utf8)
    }
}

/// Alertmanager's `postableSilence`.
struct PostableSilence: Encodable {
    struct Matcher: Encodable {
        var name, value: String
        var isRegex, isEqual: Bool
    }
    var matchers: [Matcher]
    var startsAt, endsAt, createdBy, comment: String
}

struct MirrorFailure: Error { var message: String }

extension Dispatcher {
    /// Mirrors the stored silences into every channel that asks for it; a failure is reported like a queued
    /// notification of that channel and tried again at the next evaluation.
    func mirrorSilences(now: Date) throws -> [NotificationReport] {
        let mirrors = configuration.channels.values.compactMap { $0 as? AlertmanagerChannel }
            .filter(\.settings.mirrorSilences).sorted { $0.name < $1.name }
        guard !mirrors.isEmpty else { return [] }
        let local = try store.silences().filter { $0.endsAt > now }
        return mirrors.compactMap { channel in
            guard let problem = AlertmanagerSilenceMirror(channel: channel, host: configuration.host)
                .reconcile(local) else { return nil }
            return NotificationReport(channel: channel.name, subject: "silences not mirrored", body: "",
                                      alerts: [], status: .queued, error: problem, retry: false)
        }
    }
}
