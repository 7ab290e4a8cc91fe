import Foundation
import Testing
@testable import FactorWatch

/// A rule file saved in another encoding is named with the line and column of its first invalid byte.
@Suite struct ConfigEncodingTests {
    @Test func invalidUTF8IsReportedWithItsPosition() throws {
        let fixture = ConfigFixture()
        // GBK's 中 (0xD6 0xD0) where a summary's text begins: line 5, after `    summary: ` and "é" (one character).
        let bytes: [UInt8] = Array("rules:\n  - alert: A\n    expr: disk_used_percent > 90\n    severity: high\n    summary: é".utf8)
            + [0xD6, 0xD0] + Array("\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: fixture.dir.file("rules/main.yaml")))
        #expect(fixture.problems() == ["rules/main.yaml:5:15: not UTF-8 text: an invalid byte sequence starts here (save the file as UTF-8)"])
    }

    @Test(arguments: [
        ([0x61, 0x0A, 0x62, 0xC3], 2, 2),  // truncated sequence at the end
        ([0xE2, 0x82, 0xAC, 0xED, 0xA0, 0x80], 1, 2),  // € then an encoded surrogate
        ([0xF0, 0x9F, 0x98, 0x80, 0x0A, 0x0A, 0xC0, 0xAF], 3, 1),  // emoji, two newlines, overlong slash
        ([0x80], 1, 1),  // lone continuation byte
    ] as [([UInt8], Int, Int)])
    func firstInvalidByteIsLocated(bytes: [UInt8], line: Int, column: Int) throws {
        let found = firstInvalidUTF8(in: bytes)
        #expect(found.line == line && found.column == column)
        // Python's own UTF-8 decoder places the first bad byte; line and column are counted from what it decoded.
        let python = try python3("""
            import sys
            data = bytes.fromhex(sys.argv[1])
            try:
                data.decode("utf-8")
                print("valid")
            except UnicodeDecodeError as error:
                before = data[:error.start].decode("utf-8")
                print(before.count("\\n") + 1, len(before) - before.rfind("\\n"))
            """, [bytes.map { String(format: "%02x", $0) }.joined()])
        #expect(String(decoding: python, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                == "\(found.line) \(found.column)")
    }
}
