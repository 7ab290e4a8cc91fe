import Foundation
import Testing
@testable import FactorWatch

/// Offsets compared with the C library's, as `date` prints them, over instants up to 2100: past the last
/// transition a zone file lists, only its footer rule answers.
@Suite struct TimeZoneRulesTests {
    /// Northern and southern daylight time, negative daylight saving (Dublin), negative and late change times
    /// (Nuuk), quarter-hour offsets (Chatham), and zones without daylight time.
    static let zones = ["America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney", "America/Nuuk",
                        "Pacific/Chatham", "America/St_Johns", "Asia/Shanghai", "America/Sao_Paulo", "Asia/Kolkata"]

    /// Every six hours through 2036–2040, plus a spread of instants up to 2100.
    static let instants: [Int64] = {
        var values: [Int64] = []
        var t: Int64 = 2_082_758_400  // 2036-01-01
        while t < 2_240_611_200 {  // 2041-01-01
            values.append(t)
            t += 21_600 + 37
        }
        var seed: UInt64 = 0x5eed
        for _ in 0..<2_000 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            values.append(Int64(seed >> 33) % 4_102_444_800)  // 1970 ... 2100
        }
        return values
    }()

    @Test(arguments: zones)
    func offsetsAgreeWithTheCLibrary(zone: String) throws {
        let rules = try TimeZoneRules(identifier: zone)
        let reference = try Self.referenceOffsets(zone: zone, instants: Self.instants)
        var mismatches: [String] = []
        for (instant, expected) in zip(Self.instants, reference) {
            let got = rules.offset(at: Date(timeIntervalSince1970: Double(instant)))
            if got != expected { mismatches.append("@\(instant): \(got) != \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(zone): \(mismatches.count) mismatches, first \(mismatches.prefix(3))")
    }

    @Test func newYorkInJuly2038IsDaylightTime() throws {
        let rules = try TimeZoneRules(identifier: "America/New_York")
        #expect(rules.offset(at: Date(timeIntervalSince1970: 2_162_000_000)) == -4 * 3_600)
    }

    @Test func footerRulesParse() {
        #expect(PosixTimeZoneRule("<+08>-8") == PosixTimeZoneRule(standard: 28_800))
        #expect(PosixTimeZoneRule("EST5EDT,M3.2.0,M11.1.0")?.daylight?.offset == -14_400)
        #expect(PosixTimeZoneRule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0")?.daylight?.start.time == -3_600)
        #expect(PosixTimeZoneRule("IST-1GMT0,M10.5.0,M3.5.0/1")?.daylight?.offset == 0)
        #expect(PosixTimeZoneRule("") == nil)
        #expect(PosixTimeZoneRule("EST5EDT,M13.1.0,M11.1.0") == nil)
    }

    /// `date` reads `@SECONDS` lines and prints each offset as ±hhmm.
    static func referenceOffsets(zone: String, instants: [Int64]) throws -> [Int] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/date")
        process.arguments = ["-f", "-", "+%z"]
        process.environment = ["TZ": zone, "LC_ALL": "C"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let text = instants.map { "@\($0)\n" }.joined()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let sign = line.first == "-" ? -1 : 1
            let digits = Int(line.dropFirst())!
            return sign * (digits / 100 * 3_600 + digits % 100 * 60)
        }
    }
}
