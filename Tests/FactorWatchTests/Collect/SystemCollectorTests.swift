import Foundation
import Testing

@testable import FactorWatch

@Suite struct SystemCollectorTests {
    @Test func reportsCPUMemoryAndLoadInSaneRanges() throws {
        let memory = EphemeralMemory()
        var context = collectContext("2026-11-24T02:45")
        context.memory = memory
        let collector = SystemCollector()
        let first = try collector.collect(context)
        let cpu = try #require(first.observed("cpu_percent"))
        #expect(cpu >= 0 && cpu <= 100)
        let used = try #require(first.observed("memory_used_percent"))
        #expect(used > 0 && used < 100)
        for name in ["load1", "load5", "load15"] { #expect((first.observed(name) ?? -1) >= 0) }
        #expect(memory.value(collector: "system", key: "cpu") != nil)
        // The second run measures from the remembered sample.
        let second = try collector.collect(context)
        #expect((second.observed("cpu_percent") ?? -1) >= 0)
    }

    @Test func computesBusyShareFromAProcTree() throws {
        let dir = try CollectScratchDirectory()
        try "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3 4\n"
            .write(toFile: dir.path + "/stat", atomically: true, encoding: .utf8)
        try "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\n"
            .write(toFile: dir.path + "/meminfo", atomically: true, encoding: .utf8)
        try "0.50 1.25 2.00 1/100 42\n".write(toFile: dir.path + "/loadavg", atomically: true, encoding: .utf8)
        let memory = EphemeralMemory()
        memory.set("800 700", collector: "system", key: "cpu")
        var context = collectContext("2026-11-24T02:45")
        context.memory = memory
        let observations = try SystemCollector(procRoot: dir.path).collect(context)
        // total 1000, idle 800: since (800, 700) → 200 elapsed, 100 idle → 50% busy.
        #expect(observations.observed("cpu_percent") == 50)
        #expect(observations.observed("memory_used_percent") == 75)
        #expect(observations.observed("load5") == 1.25)
        #expect(memory.value(collector: "system", key: "cpu") == "1000 800")
    }
}
