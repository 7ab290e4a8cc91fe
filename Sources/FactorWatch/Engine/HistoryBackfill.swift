#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `factorwatch history backfill`: measures the factor files already on disk, oldest first, as the evaluations
/// of their days would have, and stores each day's figures. One file is open at a time (with the one before it,
/// for the day-over-day checks), and each file is its own transaction, so memory stays bounded and an
/// interrupted backfill keeps what it did.
public struct HistoryBackfill {
    public let configuration: Configuration

    public struct Summary: Sendable, Equatable {
        /// Files measured and stored, files already stored as they are, files that could not be measured.
        public var written = 0
        public var unchanged = 0
        public var failed: [String] = []

        /// `history backfill --format json`: `{"failed": N, "unchanged": N, "written": N}`.
        public func json() -> String {
            encodeJSON(["written": written, "unchanged": unchanged, "failed": failed.count])
        }
    }

    public init(configuration: Configuration) { self.configuration = configuration }

    /// Backfills the files dated `since` or later (all when nil) up to `now`'s date. `progress` is told each
    /// file as (done, total, date).
    public func run(since: LocalDate?, now: Date, store: HistoryStore,
                    progress: ((Int, Int, LocalDate) -> Void)? = nil) throws -> Summary {
        let recorder = HistoryRecorder(configuration: configuration)
        let today = configuration.zone.localDate(now)
        var summary = Summary()
        for collector in configuration.collectors.compactMap({ $0 as? FactorQualityCollector }) {
            let dated = try collector.files.datedFiles(notAfter: today)
            let first = dated.firstIndex { since == nil || $0.date >= since! } ?? dated.count
            // Earlier files warm the drift checks' memory, as the evaluations before `since` would have.
            let warmUp = collector.checks.enabled ? min(first, collector.checks.history + 1) : 0
            let memory = BufferedMemory()
            for (position, file) in dated.enumerated().dropFirst(first - warmUp) {
                let observations = measure(collector, on: file.date, memory: memory, failed: &summary.failed)
                guard position >= first else { continue }
                let written = try store.database.transaction {
                    try recorder.record(observations: observations, notifications: [], store: store,
                                        source: "backfill", at: now)
                }
                if written > 0 { summary.written += 1 } else { summary.unchanged += 1 }
                progress?(position - first + 1, dated.count - first, file.date)
            }
        }
        return summary
    }

    /// What the collector reports on the day of `date` (a partial failure keeps what it measured).
    private func measure(_ collector: FactorQualityCollector, on date: LocalDate, memory: BufferedMemory,
                         failed: inout [String]) -> [Observation] {
        let endOfDay = configuration.zone.date(from: LocalDateTime(date: date, hour: 23, minute: 59))
        let context = CollectionContext(now: endOfDay, zone: configuration.zone, calendar: configuration.calendar,
                                        memory: memory)
        do {
            return try collector.collect(context)
        } catch let failure as CollectorFailure {
            failed.append("\(date.yyyymmdd): \(failure.message)")
            return failure.observations
        } catch {
            failed.append("\(date.yyyymmdd): \(error)")
            return []
        }
    }
}
