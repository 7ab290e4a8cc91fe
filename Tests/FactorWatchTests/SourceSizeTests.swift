import Foundation
import Testing

/// The house limits, checked on the whole tree by `scripts/source_sizes.py`: no Swift file in Sources over 400
/// lines, no function over 80.
struct SourceSizeTests {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func noFileOver400LinesAndNoFunctionOver80() throws {
        let (status, output) = try scan(repository + "/Sources")
        #expect(status == 0 && output.contains(" 0 over the limits"), "\(output)")
        #expect(!output.hasPrefix("0 files"), "the scan found no Swift file: \(output)")
    }

    /// The scan finds what it is meant to: a 401-line file, and an 81-line function whose strings and comments
    /// hold closing braces; an 80-line one passes.
    @Test func theScanFindsALongFileAndALongFunction() throws {
        let folder = FileManager.default.temporaryDirectory.path + "/sizes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = (0..<79).map { "    let x\($0) = \"}\" // }" }
        try "func long() {\n\(lines.joined(separator: "\n"))\n}\n"
            .write(toFile: folder + "/Long.swift", atomically: true, encoding: .utf8)
        try "func short() {\n\(lines.dropLast().joined(separator: "\n"))\n}\n"
            .write(toFile: folder + "/Short.swift", atomically: true, encoding: .utf8)
        try String(repeating: "let y = 1\n", count: 401)
            .write(toFile: folder + "/Big.swift", atomically: true, encoding: .utf8)
        let (status, output) = try scan(folder)
        #expect(status == 1)
        #expect(output.contains("Big.swift: 401 lines"), "\(output)")
        #expect(output.contains("Long.swift:1: function of 81 lines"), "\(output)")
        #expect(!output.contains("Short.swift"), "\(output)")
        #expect(output.contains(" 2 over the limits"), "\(output)")
    }

    private func scan(_ folder: String) throws -> (Int32, String) {
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository + "/scripts/source_sizes.py", folder]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
