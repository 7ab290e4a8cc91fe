#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's CPU, memory and load, from `/proc`.
///
/// `cpu_percent` is the busy share of all CPUs between the previous evaluation's `/proc/stat` sample (kept in
/// collector memory) and this one, like a Prometheus rate over the evaluation interval; the first run, or one
/// after a reboot, takes two samples `sampleInterval` apart instead. Busy is everything but idle and iowait.
/// `memory_used_percent` is 100 × (MemTotal − MemAvailable) / MemTotal; `load1`, `load5`, `load15` as `uptime`.
public struct SystemCollector: Collector {
    public var name: String { "system" }
    public let procRoot: String
    public let sampleInterval: Double

    public init(procRoot: String = "/proc", sampleInterval: Double = 0.15) {
        self.procRoot = procRoot
        self.sampleInterval = sampleInterval
    }

    public var metricNames: [String] { ["cpu_percent", "memory_used_percent", "load1", "load5", "load15"] }

    struct CPUSample: Equatable {
        var total: UInt64
        var idle: UInt64

        var encoded: String { "\(total) \(idle)" }

        init(total: UInt64, idle: UInt64) {
            self.total = total
            self.idle = idle
        }

        init?(encoded: String) {
            let parts = encoded.split(separator: " ")
            guard parts.count == 2, let total = UInt64(parts[0]), let idle = UInt64(parts[1]) else { return nil }
            self.init(total: total, idle: idle)
        }

        /// Busy share between `earlier` and this sample; nil when the counters went backwards or did not move.
        func percentBusy(since earlier: CPUSample) -> Double? {
            guard total > earlier.total, idle >= earlier.idle else { return nil }
            let elapsed = Double(total - earlier.total)
            let idled = Double(idle - earlier.idle)
            return min(100, max(0, 100 * (elapsed - idled) / elapsed))
        }
    }

    public func collect(_ context: CollectionContext) throws -> [Observation] {
        var observations: [Observation] = []
        var failures: [String] = []
        do {
            var current = try cpuSample()
            let remembered = context.memory.value(collector: name, key: "cpu").flatMap(CPUSample.init(encoded:))
            var percent = remembered.flatMap { current.percentBusy(since: $0) }
            if percent == nil {
                let first = current
                usleep(useconds_t(sampleInterval * 1_000_000))
                current = try cpuSample()
                percent = current.percentBusy(since: first) ?? 0
            }
            context.memory.setSample(current.encoded, collector: name, key: "cpu")
            observations.append(Observation("cpu_percent", Labels(), percent ?? 0))
        } catch {
            failures.append("\(error)")
        }
        do {
            observations.append(Observation("memory_used_percent", Labels(), try memoryUsedPercent()))
        } catch {
            failures.append("\(error)")
        }
        do {
            let loads = try loadAverages()
            observations += [Observation("load1", Labels(), loads.0), Observation("load5", Labels(), loads.1),
                             Observation("load15", Labels(), loads.2)]
        } catch {
            failures.append("\(error)")
        }
        guard failures.isEmpty else {
            throw CollectorFailure(failures.joined(separator: "; "), observations: observations)
        }
        return observations
    }


    private func text(_ file: String) throws -> String {
        let path = procRoot + "/" + file
        do {
            return String(decoding: try FileSystem.contents(path), as: UTF8.self)
        } catch {
            throw PathProblem(path: path, reason: error.reason)
        }
    }

    /// The aggregate `cpu` line: user nice system idle iowait irq softirq steal (guest time is already in user).
    func cpuSample() throws -> CPUSample {
        let content = try text("stat")
        guard let line = content.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else {
            throw PathProblem(path: procRoot + "/stat", reason: "no aggregate cpu line")
        }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 4 else { throw PathProblem(path: procRoot + "/stat", reason: "malformed cpu line") }
        let counted = fields.prefix(8)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        return CPUSample(total: counted.reduce(0, +), idle: idle)
    }

    func memoryUsedPercent() throws -> Double {
        var values: [String: Double] = [:]
        for line in try text("meminfo").split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, let value = Double(parts[1]) else { continue }
            values[String(parts[0].dropLast())] = value
        }
        guard let total = values["MemTotal"], total > 0, let available = values["MemAvailable"] else {
            throw PathProblem(path: procRoot + "/meminfo", reason: "no MemTotal or MemAvailable")
        }
        return 100 * (total - available) / total
    }

    func loadAverages() throws -> (Double, Double, Double) {
        let parts = try text("loadavg").split(separator: " ")
        guard parts.count >= 3, let one = Double(parts[0]), let five = Double(parts[1]),
              let fifteen = Double(parts[2]) else {
            throw PathProblem(path: procRoot + "/loadavg", reason: "malformed")
        }
        return (one, five, fifteen)
    }
}
