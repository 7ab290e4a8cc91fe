/// What keeps the state database cheap at cron frequency and with thousands of alerts: the second schema
/// version's column and indexes, and labels read back without a JSON decoder. (The journal stays a rollback
/// journal: a write-ahead log cannot be opened on a full disk, whose room the state reserve exists to make;
/// an evaluation that changes nothing writes nothing either way.)
extension StateStore {
    /// Version 2: `keep_firing_for`'s own column (it used to borrow `resolved_at`), and indexes for the job-run
    /// queries `status` and the jobs collector make (latest finished run, latest success).
    static let schemaV2 = """
        ALTER TABLE alerts ADD COLUMN keep_firing_since REAL;
        CREATE INDEX IF NOT EXISTS job_runs_finished ON job_runs (job, finished_at);
        CREATE INDEX IF NOT EXISTS job_runs_success ON job_runs (job, exit_code, finished_at);
        """

    /// The labels of a stored key (`a="1",b="2"`), parsed directly; nil when the text is not such a key, or does
    /// not write back to itself (then the JSON copy is read instead).
    static func labels(fromKey key: String) -> Labels? {
        if key.isEmpty { return Labels() }
        let bytes = Array(key.utf8)
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var pairs: [String: String] = [:]
        var index = 0
        while index < bytes.count {
            guard let equals = bytes[index...].firstIndex(of: UInt8(ascii: "=")), equals + 1 < bytes.count,
                  bytes[equals + 1] == quote else { return nil }
            let name = String(decoding: bytes[index..<equals], as: UTF8.self)
            var value: [UInt8] = []
            var cursor = equals + 2
            var closed = false
            while cursor < bytes.count {
                let byte = bytes[cursor]
                cursor += 1
                if byte == quote {
                    closed = true
                    break
                }
                if byte == backslash, cursor < bytes.count {
                    value.append(bytes[cursor] == UInt8(ascii: "n") ? 10 : bytes[cursor])
                    cursor += 1
                } else {
                    value.append(byte)
                }
            }
            guard closed, pairs.updateValue(String(decoding: value, as: UTF8.self), forKey: name) == nil else {
                return nil
            }
            index = cursor
            if index < bytes.count {
                guard bytes[index] == UInt8(ascii: ","), index + 1 < bytes.count else { return nil }
                index += 1
            }
        }
        let labels = Labels(pairs)
        return labels.key == key ? labels : nil
    }
}
