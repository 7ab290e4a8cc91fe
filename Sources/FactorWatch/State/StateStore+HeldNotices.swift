#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `held_notices` table, created like `acknowledgements` by the first writable open that lacks it.
extension StateStore: HeldNoticeStore {
    static let heldNoticesTable = """
        CREATE TABLE IF NOT EXISTS held_notices (
            id INTEGER PRIMARY KEY, channel TEXT NOT NULL, due_at REAL NOT NULL, notice_json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS held_notices_due ON held_notices (due_at);
        """

    public func heldNotices(dueBy: Date?) throws -> [HeldNotice] {
        let exists = try database.query(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'held_notices'")
        guard (exists.first?.first?.int64 ?? 0) > 0 else { return [] }
        let rows = try dueBy.map {
            try database.query("SELECT id, channel, due_at, notice_json FROM held_notices WHERE due_at <= ? ORDER BY id",
                               [real($0)])
        } ?? database.query("SELECT id, channel, due_at, notice_json FROM held_notices ORDER BY id")
        return rows.compactMap { row in
            guard let id = row[0].int64, let channel = row[1].string, let due = date(row[2]),
                  let json = row[3].string, let notice = try? decodeDigest(json).alerts.first else { return nil }
            return HeldNotice(id: id, channel: channel, notice: notice, dueAt: due)
        }
    }

    public func hold(_ held: HeldNotice) throws {
        // Stored as a one-notice digest, in the outbox's encoding.
        let wrapper = Digest(channel: held.channel, host: "", createdAt: held.dueAt, zone: "", alerts: [held.notice])
        try database.query("INSERT INTO held_notices (channel, due_at, notice_json) VALUES (?,?,?)",
                           [.text(held.channel), real(held.dueAt), .text(try encodeDigest(wrapper))])
    }

    public func release(_ ids: [Int64]) throws {
        for id in ids { try database.query("DELETE FROM held_notices WHERE id = ?", [.integer(id)]) }
    }
}
