#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What happened to silences between the previous evaluation and this one: those that ended over an alert
/// (which is told again at once, as `silence_ended`), and those that ended having matched nothing in their whole
/// life (reported by `eval`: their matchers are probably wrong). It remembers, in collector memory, when the last
/// evaluation ran and which silences have matched an alert.
struct SilenceLifecycle {
    static let memoryCollector = "factorwatch.silences"
    let silences: [Silence]
    /// When the previous evaluation ran; nil on the first.
    let previous: Date?
    let now: Date
    /// Ids of silences that have matched some alert in an earlier evaluation.
    let matched: Set<Int64>

    init(silences: [Silence], memory: CollectorMemory?, now: Date) {
        self.silences = silences
        self.now = now
        previous = memory?.value(collector: Self.memoryCollector, key: "evaluated_at")
            .flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
        matched = Set((memory?.value(collector: Self.memoryCollector, key: "matched") ?? "")
            .split(separator: ",").compactMap { Int64($0) })
    }

    /// The silences that ended since the previous evaluation, having been in force at it.
    private var ended: [Silence] {
        guard let previous else { return [] }
        return silences.filter { $0.startsAt <= previous && previous < $0.endsAt && $0.endsAt <= now }
    }

    /// The silence that held `key` back at the previous evaluation and has ended since, if any.
    func endedSilence(over key: AlertKey) -> Silence? {
        ended.first { $0.matches(key) }
    }

    /// The silences that ended since the previous evaluation without ever matching an alert.
    func endedUnmatched(alerts: [AlertKey]) -> [Silence] {
        ended.filter { silence in !matched.contains(silence.id) && !alerts.contains(where: silence.matches) }
    }

    /// Remembers this evaluation's time and the silences in force that match one of `alerts`.
    func remember(alerts: [AlertKey], in memory: CollectorMemory?) {
        guard let memory else { return }
        let active = silences.filter { $0.isActive(at: now) }
        let hits = active.filter { silence in alerts.contains(where: silence.matches) }.map(\.id)
        // Only silences that still exist and have not ended long ago are kept, so the list stays short.
        let live = Set(silences.filter { $0.endsAt > self.now.addingTimeInterval(-86_400) }.map(\.id))
        let ids = matched.union(hits).intersection(live).sorted()
        memory.set(ids.map(String.init).joined(separator: ","), collector: Self.memoryCollector, key: "matched")
        // With no silence in force or to come (ended ones stay stored until pruned), none can be in force at this
        // evaluation, so the next one needs no time from it (empty reads as no previous evaluation): an
        // evaluation with nothing new then writes nothing.
        let evaluated = silences.contains { $0.endsAt > now } ? String(self.now.timeIntervalSince1970) : ""
        memory.set(evaluated, collector: Self.memoryCollector, key: "evaluated_at")
    }
}
