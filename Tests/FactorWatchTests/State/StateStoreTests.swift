import Foundation
import Testing
@testable import FactorWatch

@Suite struct StateStoreTests {
    @Test func createsSchemaAndRoundTripsAnAlert() throws {
        let dir = TemporaryDirectory()
        let store = try StateStore(path: dir.file("state.db"))
        let key = AlertKey(rule: "DiskAlmostFull", labels: ["path": "/data"])
        let record = AlertRecord(key: key, phase: .firing, severity: .critical, value: 93.5,
                                 activeSince: at("2026-11-24T02:00"), firedAt: at("2026-11-24T02:00"),
                                 lastEvaluatedAt: at("2026-11-24T02:45"), summary: "Disk /data is 93.5% full")
        try store.transaction { try store.save(record) }
        let reopened = try StateStore(path: dir.file("state.db"))
        #expect(try reopened.alerts()[key] == record)
        #expect(reopened.database.userVersion == StateStore.schemaVersion)
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let dir = TemporaryDirectory()
        _ = try StateStore(path: dir.file("state.db"))
        let raw = try SQLiteDatabase(path: dir.file("state.db"))
        try raw.execute("PRAGMA user_version = 99")
        let before = try Data(contentsOf: URL(fileURLWithPath: dir.file("state.db")))
        #expect {
            try StateStore(path: dir.file("state.db"))
        } throws: { error in
            "\(error)".contains("schema version 99 is newer")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: dir.file("state.db"))) == before)
    }

    @Test func refusesSomeoneElsesDatabase() throws {
        let dir = TemporaryDirectory()
        let raw = try SQLiteDatabase(path: dir.file("other.db"))
        try raw.execute("CREATE TABLE trades (id INTEGER)")
        #expect {
            try StateStore(path: dir.file("other.db"))
        } throws: { error in
            "\(error)".contains("not a factorwatch state database")
        }
    }

    @Test func reportsACorruptFileWithoutOverwritingIt() throws {
        let dir = TemporaryDirectory()
        let garbage = String(repeating: "this is not sqlite\n", count: 300)
        dir.write("state.db", garbage)
        #expect {
            try StateStore(path: dir.file("state.db"))
        } throws: { error in
            "\(error)".contains("the state database is damaged or not a database")
        }
        #expect(try String(contentsOfFile: dir.file("state.db"), encoding: .utf8) == garbage)
    }

    @Test func readOnlyOpenOfAMissingFileCreatesNothing() throws {
        let dir = TemporaryDirectory()
        let store = try StateStore(path: dir.file("absent.db"), readOnly: true)
        #expect(try store.alerts().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.file("absent.db")))
    }

    @Test func outboxEntriesMoveFromQueuedToSentOrDead() throws {
        let dir = TemporaryDirectory()
        let store = try StateStore(path: dir.file("state.db"))
        let now = at("2026-11-24T02:45")
        let notice = AlertNotice(rule: "R", severity: .high, reason: .firing, labels: ["a": "1"], value: 0.25,
                                 summary: "数据缺失", startsAt: now)
        let digest = Digest(channel: "email", host: "h", createdAt: now, zone: "Asia/Shanghai", alerts: [notice])
        let first = try store.enqueue(digest, at: now)
        let second = try store.enqueue(digest, at: now)
        #expect(try store.dueOutbox(at: now).map(\.id) == [first, second])
        #expect(try store.dueOutbox(at: now).first?.digest == digest)
        var missing = digest
        missing.alerts[0].value = .nan
        let third = try store.enqueue(missing, at: now)
        #expect(try store.outboxEntry(id: third)?.digest.alerts[0].value.isNaN == true)
        try store.markSent(third, at: now)
        try store.markSent(first, at: now)
        try store.markFailed(second, error: "connection refused", nextAttemptAt: now.addingTimeInterval(60), dead: false)
        #expect(try store.dueOutbox(at: now).isEmpty)
        #expect(try store.dueOutbox(at: now.addingTimeInterval(60)).map(\.id) == [second])
        try store.markFailed(second, error: "connection refused", nextAttemptAt: now, dead: true)
        let undelivered = try store.undelivered()
        #expect(undelivered.map(\.status) == [.dead])
        #expect(undelivered.first?.attempts == 2)
        #expect(undelivered.first?.lastError == "connection refused")
    }

    @Test func silencesAreStoredAndExpire() throws {
        let dir = TemporaryDirectory()
        let store = try StateStore(path: dir.file("state.db"))
        let now = at("2026-11-24T02:45")
        let silence = Silence(rule: "DiskAlmostFull", matchers: [SilenceMatcher(parsing: "path=~/data.*")!],
                              startsAt: now, endsAt: now.addingTimeInterval(3_600), comment: "cleanup",
                              createdBy: "ops", createdAt: now)
        let id = try store.add(silence)
        let stored = try store.silences()
        #expect(stored.count == 1)
        #expect(stored[0].matches(AlertKey(rule: "DiskAlmostFull", labels: ["path": "/data/x"])))
        #expect(!stored[0].matches(AlertKey(rule: "DiskAlmostFull", labels: ["path": "/backup"])))
        #expect(!stored[0].matches(AlertKey(rule: "Other", labels: ["path": "/data"])))
        #expect(try store.expireSilence(id, at: now.addingTimeInterval(60)))
        #expect(try !store.silences()[0].isActive(at: now.addingTimeInterval(120)))
        #expect(try !store.expireSilence(999, at: now))
    }
}
