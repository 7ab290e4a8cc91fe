#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `silences` table.
extension StateStore: SilenceStore {
    public func silences() throws -> [Silence] {
        try database.query("""
            SELECT id, rule, matchers_json, starts_at, ends_at, comment, created_by, created_at FROM silences ORDER BY id
            """).compactMap { row in
            guard let id = row[0].int64, let json = row[2].string, let starts = date(row[3]), let ends = date(row[4]),
                  let created = date(row[7]),
                  let matchers = try? JSONDecoder().decode([SilenceMatcher].self, from: Data(json.utf8)) else { return nil }
            return Silence(id: id, rule: row[1].string, matchers: matchers, startsAt: starts, endsAt: ends,
                           comment: row[5].string ?? "", createdBy: row[6].string ?? "", createdAt: created)
        }
    }

    public func add(_ silence: Silence) throws -> Int64 {
        let json = try JSONWriter.stored.encode(silence.matchers)
        try database.query("""
            INSERT INTO silences (rule, matchers_json, starts_at, ends_at, comment, created_by, created_at)
            VALUES (?,?,?,?,?,?,?)
            """, [silence.rule.map { .text($0) } ?? .null, .text(json), real(silence.startsAt), real(silence.endsAt),
                  .text(silence.comment), .text(silence.createdBy), real(silence.createdAt)])
        return database.lastInsertRowID
    }

    public func expireSilence(_ id: Int64, at: Date) throws -> Bool {
        try database.query("UPDATE silences SET ends_at = min(ends_at, ?) WHERE id = ?", [real(at), .integer(id)])
        return database.changes > 0
    }
}

/// The `collector_memory` table.
extension StateStore: CollectorMemoryStore {
    public func memoryValues() throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try database.query("SELECT collector, key, value FROM collector_memory") {
            if let collector = row[0].string, let key = row[1].string, let value = row[2].string {
                result[collector + "\u{0}" + key] = value
            }
        }
        return result
    }

    public func setMemory(collector: String, key: String, value: String?) throws {
        if let value {
            // Updated in place, and not at all when unchanged: a replace would rewrite the index page too.
            try database.query("""
                INSERT INTO collector_memory (collector, key, value) VALUES (?,?,?)
                ON CONFLICT (collector, key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value
                """, [.text(collector), .text(key), .text(value)])
        } else {
            try database.query("DELETE FROM collector_memory WHERE collector = ? AND key = ?",
                               [.text(collector), .text(key)])
        }
    }
}
