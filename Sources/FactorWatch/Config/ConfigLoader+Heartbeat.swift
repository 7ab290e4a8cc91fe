extension ConfigLoader {
    static let heartbeatKeys = ["url", "url_file", "url_env", "timeout", "start", "verify", "ca_file"]

    /// `heartbeat: URL` or `heartbeat: { url | url_file | url_env, timeout, start, verify, ca_file }`. A URL
    /// that cannot be read (its file or variable missing) does not stop the run: it is returned as problems, which
    /// `check` reports (exit 2) and `eval` prints (exit 1) while everything else runs.
    static func decodeHeartbeat(_ node: ConfigNode, _ decoder: NodeDecoder) -> (Heartbeat?, [ConfigProblem]) {
        if case .scalar = node.value {
            guard let url = decoder.string(node, what: "heartbeat"), checkHeartbeatURL(url, node, decoder) else {
                return (nil, [])
            }
            return (Heartbeat(url: Secret(url)), [])
        }
        guard let f = decoder.fields(node, what: "heartbeat", allowed: heartbeatKeys) else { return (nil, []) }
        let local = ProblemList()
        let secretDecoder = NodeDecoder(problems: local, environment: decoder.environment,
                                        directory: decoder.directory)
        var url: Secret?
        if let urlNode = f["url"] {
            if f.has("url_file") || f.has("url_env") {
                decoder.problems.error(urlNode.location, "heartbeat: give one of url, url_file and url_env")
                return (nil, [])
            }
            url = decoder.string(urlNode, what: "heartbeat url").map(Secret.init)
        } else if f.has("url_file") || f.has("url_env") {
            url = ChannelDecoder.secret(f, "url", channel: "", secretDecoder, owner: "heartbeat")
        } else {
            decoder.problems.error(node.location, "heartbeat needs \"url\" (or url_file: PATH, url_env: VARIABLE)")
            return (nil, [])
        }
        guard let url else { return (nil, local.errors) }
        if !checkHeartbeatURL(url.reveal(), f["url"] ?? node, decoder) { return (nil, []) }
        var heartbeat = Heartbeat(url: url)
        if let n = f["timeout"], let value = decoder.duration(n, what: "heartbeat timeout") {
            if value >= 1 && value <= 120 { heartbeat.timeout = value } else {
                decoder.problems.error(n.location, "heartbeat timeout must be between 1s and 2m")
            }
        }
        heartbeat.start = f["start"].flatMap { decoder.bool($0, what: "heartbeat start") } ?? true
        heartbeat.verify = f["verify"].flatMap { decoder.bool($0, what: "heartbeat verify") } ?? true
        heartbeat.caFile = f["ca_file"].flatMap { decoder.path($0, what: "heartbeat ca_file") }
        return (heartbeat, local.errors)
    }

    /// An http(s) URL; the message never shows more than its scheme and host.
    private static func checkHeartbeatURL(_ url: String, _ node: ConfigNode, _ decoder: NodeDecoder) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return true }
        decoder.problems.error(node.location, "heartbeat url must start with http:// or https:// (as "
                               + "https://hc-ping.com/UUID does), not \(redactedURL(url))")
        return false
    }
}
