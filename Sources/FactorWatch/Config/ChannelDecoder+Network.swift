#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ChannelDecoder {
    static let smtpKeys = ["type", "url", "tls", "verify", "ca_file", "username", "password", "password_env",
                           "password_file", "from", "to", "connect_timeout", "timeout", "final_reply_timeout",
                           "subject", "body", "html", "encoding"]
    static let webhookKeys = ["type", "preset", "url", "method", "username", "password", "password_env",
                              "password_file", "headers", "form", "body", "secret", "secret_env", "secret_file",
                              "max_length", "verify", "ca_file", "connect_timeout", "timeout", "generator_url"]

    static func smtp(_ node: ConfigNode, name: String, zone: TimeZoneRules, _ decoder: NodeDecoder) -> (any Channel)? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "channel \(name)", allowed: smtpKeys),
              let urlNode = f.required("url", problems), let url = decoder.string(urlNode, what: "url"),
              let fromNode = f.required("from", problems), let from = decoder.string(fromNode, what: "from"),
              let toNode = f.required("to", problems), let to = decoder.strings(toNode, what: "to") else { return nil }
        guard url.hasPrefix("smtp://") || url.hasPrefix("smtps://") else {
            problems.error(urlNode.location, "channel \(name): url must start with smtp:// or smtps://")
            return nil
        }
        if to.isEmpty { problems.error(toNode.location, "channel \(name): \"to\" needs at least one address") }
        var tls: SMTPTLSMode = url.hasPrefix("smtps://") ? .implicit : .starttls
        if let tlsNode = f["tls"], let text = decoder.string(tlsNode, what: "tls") {
            guard let mode = SMTPTLSMode(rawValue: text) else {
                problems.error(tlsNode.location, "unknown tls mode \"\(text)\"; "
                               + suggestion(for: text, in: SMTPTLSMode.allCases.map(\.rawValue)))
                return nil
            }
            tls = mode
        }
        let common = transport(f, name: name, decoder)
        var settings = SMTPSettings(url: url, tls: tls, verify: common.verify, caFile: common.caFile,
                                    username: f["username"].flatMap { decoder.string($0, what: "username") },
                                    password: secret(f, "password", channel: name, decoder), from: from, to: to)
        settings.connectTimeout = common.connectTimeout ?? settings.connectTimeout
        settings.timeout = common.timeout ?? settings.timeout
        if let node = f["final_reply_timeout"], let value = decoder.duration(node, what: "final_reply_timeout") {
            settings.finalReplyTimeout = value
        }
        settings.subjectTemplate = f["subject"].flatMap { decoder.string($0, what: "subject") }
        settings.bodyTemplate = f["body"].flatMap { decoder.string($0, what: "body") }
        settings.html = f["html"].flatMap { decoder.bool($0, what: "html") } ?? false
        if let encodingNode = f["encoding"], let encoding = decoder.string(encodingNode, what: "encoding") {
            if MailTransferEncoding(rawValue: encoding) != nil { settings.encoding = encoding } else {
                problems.error(encodingNode.location, "unknown encoding \"\(encoding)\"; "
                               + suggestion(for: encoding, in: MailTransferEncoding.allCases.map(\.rawValue)))
            }
        }
        return SMTPChannel(name: name, settings: settings, zone: zone)
    }

    static func webhook(_ node: ConfigNode, name: String, zone: TimeZoneRules, _ decoder: NodeDecoder) -> (any Channel)? {
        let problems = decoder.problems
        guard let f = decoder.fields(node, what: "channel \(name)", allowed: webhookKeys),
              let urlNode = f.required("url", problems), let url = decoder.string(urlNode, what: "url") else {
            return nil
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            problems.error(urlNode.location, "channel \(name): url must start with http:// or https://")
            return nil
        }
        var preset = WebhookPreset.none
        if let presetNode = f["preset"], let text = decoder.string(presetNode, what: "preset") {
            if text == "alertmanager" { return alertmanagerPreset(f, name: name, presetNode: presetNode, decoder) }
            guard let value = WebhookPreset(rawValue: text) else {
                problems.error(presetNode.location, "unknown webhook preset \"\(text)\"; "
                               + suggestion(for: text, in: WebhookPreset.allCases.map(\.rawValue)))
                return nil
            }
            preset = value
        }
        let common = transport(f, name: name, decoder)
        let (headers, secretHeaders) = decodeHeaders(f["headers"], channel: name, decoder)
        var form: [String: String]?
        if let node = f["form"], let entries = decoder.entries(node, what: "form") {
            form = [:]
            for entry in entries { form?[entry.key] = decoder.string(entry.value, what: "form \(entry.key)") }
        }
        var settings = WebhookSettings(
            url: url, preset: preset, method: f["method"].flatMap { decoder.string($0, what: "method") } ?? "POST",
            username: f["username"].flatMap { decoder.string($0, what: "username") },
            password: secret(f, "password", channel: name, decoder), headers: headers, form: form,
            bodyTemplate: f["body"].flatMap { decoder.string($0, what: "body") },
            secret: secret(f, "secret", channel: name, decoder), verify: common.verify, caFile: common.caFile)
        settings.secretHeaders = secretHeaders
        if let node = f["max_length"], let length = decoder.int(node, what: "max_length") {
            if length >= 1 { settings.maxLength = length } else { problems.error(node.location, "max_length must be 1 or more") }
        }
        settings.connectTimeout = common.connectTimeout ?? settings.connectTimeout
        settings.timeout = common.timeout ?? settings.timeout
        return WebhookChannel(name: name, settings: settings, zone: zone)
    }

    /// `headers: { Name: value, Name: { value_file: PATH | value_env: VAR, prefix: "Bearer " } }`: a plain value,
    /// or a secret one read like a password (never written in the file, never printed).
    static func decodeHeaders(_ node: ConfigNode?, channel: String, _ decoder: NodeDecoder)
        -> (plain: [String: String], secret: [String: Secret]) {
        var plain: [String: String] = [:], secret: [String: Secret] = [:]
        guard let node, let entries = decoder.entries(node, what: "headers") else { return (plain, secret) }
        for entry in entries {
            guard case .mapping = entry.value.value else {
                plain[entry.key] = decoder.string(entry.value, what: "header \(entry.key)")
                continue
            }
            let owner = "channel \(channel) header \(entry.key)"
            guard let f = decoder.fields(entry.value, what: "header \(entry.key)",
                                         allowed: ["value", "value_env", "value_file", "prefix"]) else { continue }
            let prefix = f["prefix"].flatMap { decoder.string($0, what: "prefix") } ?? ""
            guard f.has("value") || f.has("value_env") || f.has("value_file") else {
                decoder.problems.error(entry.value.location, "\(owner) needs value_file: PATH or value_env: VARIABLE")
                continue
            }
            if let value = Self.secret(f, "value", channel: channel, decoder, owner: owner) {
                secret[entry.key] = Secret(prefix + value.reveal())
            }
        }
        return (plain, secret)
    }

    static func transport(_ f: Fields, name: String, _ decoder: NodeDecoder)
        -> (verify: Bool, caFile: String?, connectTimeout: Double?, timeout: Double?) {
        (f["verify"].flatMap { decoder.bool($0, what: "verify") } ?? true,
         f["ca_file"].flatMap { decoder.path($0, what: "ca_file") },
         f["connect_timeout"].flatMap { decoder.duration($0, what: "connect_timeout") },
         f["timeout"].flatMap { decoder.duration($0, what: "timeout") })
    }

    /// `KEY_env: VAR` or `KEY_file: PATH`; a secret written in the file itself is refused. Values never appear in
    /// messages.
    static func secret(_ f: Fields, _ key: String, channel: String, _ decoder: NodeDecoder,
                       owner: String? = nil) -> Secret? {
        let problems = decoder.problems
        let owner = owner ?? "channel \(channel)"
        if let node = f[key] {
            problems.error(node.location, "\(owner): do not write the \(key) in the file; "
                           + "use \(key)_env: VARIABLE or \(key)_file: PATH")
            return nil
        }
        if let node = f[key + "_env"], let variable = decoder.string(node, what: key + "_env") {
            guard let value = decoder.environment[variable], !value.isEmpty else {
                problems.error(node.location, "\(owner): environment variable \(variable) "
                               + "(\(key)_env) is not set")
                return nil
            }
            return Secret(value)
        }
        if let node = f[key + "_file"], let path = decoder.path(node, what: key + "_file") {
            guard let data = FileManager.default.contents(atPath: path),
                  let text = String(validating: data, as: UTF8.self) else {
                problems.error(node.location, "\(owner): cannot read \(key)_file \(path)")
                return nil
            }
            var value = text
            while value.hasSuffix("\n") || value.hasSuffix("\r") { value.removeLast() }
            return Secret(value)
        }
        return nil
    }
}
