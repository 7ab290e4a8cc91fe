import Foundation
import Testing

@testable import ByteRegex

/// Random patterns in the part of the syntax where RE2, POSIX ERE (`grep -E`) and PCRE (`grep -P`) agree, run
/// by GNU grep over the same lines in the C locale: the matching line numbers must be the same.
@Suite struct GrepDifferentialTests {
    static var grepAvailable: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/grep") }
    static var required: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || grepAvailable }

    /// Line numbers (from 1) grep prints for `pattern` over `file`.
    func grep(_ flag: String, _ pattern: String, _ file: String, locale: String = "C") throws -> Set<Int> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/grep")
        process.arguments = [flag, "-n", "-e", pattern, file]
        process.environment = ["LC_ALL": locale, "PATH": "/usr/bin:/bin"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus <= 1, "grep \(flag) failed on \(pattern)")
        let text = String(decoding: data, as: UTF8.self)
        return Set(text.split(separator: "\n").compactMap { line in line.split(separator: ":").first.flatMap { Int($0) } })
    }

    func ours(_ pattern: String, _ lines: [String]) throws -> Set<Int> {
        let regex = try ByteRegex(pattern)
        return Set(lines.indices.filter { regex.matches(lines[$0]) }.map { $0 + 1 })
    }

    struct Random {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func pick(_ options: [String]) -> String { options[next(options.count)] }

        mutating func pattern(_ atoms: [String], depth: Int = 0) -> String {
            var result = ""
            for _ in 0...next(3) {
                if depth < 2 && next(5) == 0 {
                    result += "(" + pattern(atoms, depth: depth + 1) + "|" + pattern(atoms, depth: depth + 1) + ")"
                } else {
                    let atom = pick(atoms)
                    result += atom
                    // Repeating an assertion means different things in the three dialects.
                    if ["^", "$", "\\b", "\\B", "a*?", "b+?"].contains(atom) { continue }
                }
                result += pick(["", "", "", "*", "+", "?", "{2}", "{1,3}", "{0,2}", "{2,}"])
            }
            return result
        }
    }

    static let ereAtoms = ["a", "b", "c", "x", ".", "[ab]", "[^a]", "[a-c]", "[[:alpha:]]", "[[:digit:]]",
                           "[[:space:]]", "[[:punct:]]", "[[:upper:]]", "1", "-", "\\.", "^", "$", "ab", "[]a]"]
    static let pcreAtoms = ereAtoms + ["\\d", "\\w", "\\s", "\\b", "\\D", "\\W", "\\S", "\\B", "(?i:a)", "(?:ab)",
                                       "[\\d_]", "\\x41", "\\t", "a*?", "b+?"]

    func compare(_ flag: String, _ atoms: [String], seed: UInt64) throws {
        guard GrepDifferentialTests.grepAvailable else {
            Issue.record("grep is not installed")
            return
        }
        var random = Random(state: seed)
        let alphabet = Array("abcxA1-. _\t,B")
        let lines = (0..<300).map { _ in String((0..<random.next(14)).map { _ in alphabet[random.next(alphabet.count)] }) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("re-\(flag)-\(getpid()).txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        var compared = 0
        for _ in 0..<250 {
            let pattern = random.pattern(atoms)
            let expected = try grep(flag, pattern, file)
            #expect(try ours(pattern, lines) == expected, "\(flag) \(pattern)")
            compared += 1
        }
        #expect(compared == 250)
    }

    @Test(.enabled(if: required)) func agreesWithGrepExtended() throws {
        try compare("-E", GrepDifferentialTests.ereAtoms, seed: 11)
    }

    @Test(.enabled(if: required)) func agreesWithGrepPerl() throws {
        try compare("-P", GrepDifferentialTests.pcreAtoms, seed: 12)
    }

    /// Case-insensitive and multi-byte text: `grep -P` in UTF-8 mode agrees with RE2 on these.
    @Test(.enabled(if: required)) func agreesOnUnicodeLines() throws {
        let lines = ["é", "É", "aé", "☺", "x☺y", "ÀB", "straße", "\u{A0}", "١٢"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("re-u-\(getpid()).txt").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for pattern in ["^.$", "^..$", "(?i)é", "x.y", "[^a]", "^[^a]$", "☺", "[à-ÿ]", "(?i)àb"] {
            let expected = try grep("-P", pattern, file, locale: "C.UTF-8")
            #expect(try ours(pattern, lines) == expected, "\(pattern)")
        }
    }
}
