/// `factor_quality`'s last observations, kept in the collector memory with a fingerprint of everything they were
/// computed from: the identity (device, inode, size, modification and change times) of each file the pass reads,
/// the collector's settings, the previous trading day the calendar gives, the memory the checks read, and the
/// program's version. A cron tick whose fingerprint matches reuses them without opening a Parquet file; any
/// change — a rewrite, a replacement by rename, a new file, a new setting — reads the files again. Only
/// successful reads are kept: a file that could not be used is tried again at every run.
struct FactorQualityCache {
    static let key = "observations"
    let memory: any CollectorMemory
    let collector: String

    /// The fingerprint of this run's inputs; nil when a file cannot be examined (then nothing is reused).
    func fingerprint(_ settings: String, dated: [(date: LocalDate, path: String)], calendar: TradingCalendar)
        -> String? {
        guard let latest = dated.last else { return nil }
        let prior = calendar.previousTradingDay(before: latest.date)
        var read = [latest]
        if dated.count >= 2 { read.append(dated[dated.count - 2]) }
        if let day = dated.last(where: { $0.date == prior }) { read.append(day) }
        var parts = ["v1", FactorWatchVersion.current, settings, "prior=\(prior.yyyymmdd)"]
        for file in read {
            guard let status = try? FileSystem.status(file.path) else { return nil }
            parts.append("\(file.date.yyyymmdd)=\(file.path)@\(status.identity)")
        }
        for key in [FactorHistory.memoryKey, FactorMemory.contractKey] {
            let text = memory.value(collector: collector, key: key) ?? ""
            parts.append("\(key)=\(text.utf8.count):\(fnv1a(text))")
        }
        return parts.joined(separator: "\n")
    }

    /// The observations stored under `fingerprint`, if that is what was stored.
    func observations(for fingerprint: String) -> [Observation]? {
        guard let text = memory.value(collector: collector, key: Self.key),
              let split = text.firstRange(of: "\n\n") else { return nil }
        guard text[..<split.lowerBound] == fingerprint else { return nil }
        var result: [Observation] = []
        for line in text[split.upperBound...].utf8.split(separator: UInt8(ascii: "\n")) {
            guard let observation = Self.decode(Substring(line)) else { return nil }
            result.append(observation)
        }
        return result
    }

    func store(_ observations: [Observation], for fingerprint: String) {
        let text = fingerprint + "\n\n" + observations.map(Self.encode).joined(separator: "\n")
        if memory.value(collector: collector, key: Self.key) != text {
            memory.set(text, collector: collector, key: Self.key)
        }
    }

    /// `metric \t value bits \t name=value …`, with `\`, tab and newline escaped.
    static func encode(_ observation: Observation) -> String {
        var fields = [escape(observation.metric), String(observation.value.bitPattern, radix: 16)]
        for label in observation.labels { fields.append(escape(label.name) + "=" + escape(label.value)) }
        return fields.joined(separator: "\t")
    }

    static func decode(_ line: Substring) -> Observation? {
        // On bytes: this runs for every cached observation at every tick.
        let fields = line.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
        guard fields.count >= 2, let bits = UInt64(String(decoding: fields[1], as: UTF8.self), radix: 16) else {
            return nil
        }
        var pairs: [String: String] = [:]
        for field in fields.dropFirst(2) {
            guard let equals = field.firstIndex(of: UInt8(ascii: "=")) else { return nil }
            pairs[unescape(field[..<equals])] = unescape(field[field.index(after: equals)...])
        }
        return Observation(unescape(fields[0]), Labels(pairs), Double(bitPattern: bits))
    }

    private static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\t" || $0 == "\n" || $0 == "=" }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "=": out += "\\e"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ bytes: Substring.UTF8View.SubSequence) -> String {
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        var escaping = false
        for byte in bytes {
            if escaping {
                switch byte {
                case UInt8(ascii: "t"): out.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "e"): out.append(UInt8(ascii: "="))
                default: out.append(byte)
                }
                escaping = false
            } else if byte == UInt8(ascii: "\\") {
                escaping = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// FNV-1a over the bytes of `text`, in hexadecimal.
func fnv1a(_ text: String) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
}
