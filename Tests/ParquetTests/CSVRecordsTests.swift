import Foundation
import Testing

@testable import Parquet

/// The one CSV reader against Python's `csv` module on the same bytes, and its positions against hand counts.
@Suite struct CSVRecordsTests {
    static let inputs = [
        "a,b,c\n1,2,3\n",
        "\u{FEFF}exchange,cal_date,is_open\r\nSSE,20261001,0\r\nSSE,20261008,1\r\n",
        "name,note\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",end\n",
        "a,,c\n,,\n\"\",\"\",\"\"\nlast,row,without-newline",
        "q\r\"old\rmac\"\rz\r",
        "ünïcode,値\n\"é,è\",2\n",
    ]

    /// Python's csv.reader over the bytes (BOM removed as utf-8-sig does), as JSON.
    static func python(_ text: String) throws -> [[String]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import csv, io, json, sys
            text = sys.stdin.buffer.read().decode("utf-8-sig")
            print(json.dumps(list(csv.reader(io.StringIO(text, newline="")))))
            """]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 is needed: bash scripts/install-deps.sh")
        return try JSONDecoder().decode([[String]].self, from: data)
    }

    @Test(arguments: inputs)
    func recordsMatchPythonsCSVModule(_ text: String) throws {
        let ours = try CSVRecords.parse(Array(text.utf8)).map { $0.map(\.text) }
        // csv.reader gives an empty list for a blank line, where a CSV record has one empty field.
        let theirs = try Self.python(text).map { $0.isEmpty ? [""] : $0 }
        #expect(ours == theirs)
    }

    @Test func fieldsKnowWhereTheyStart() throws {
        let records = try CSVRecords.parse(Array("id,\"multi\nline\",x\nnext,\"\"\"q\",z\n".utf8))
        let positions = records.map { $0.map { [$0.line, $0.column] } }
        #expect(positions == [[[1, 1], [1, 4], [2, 7]], [[3, 1], [3, 6], [3, 12]]])
    }

    @Test func anUnclosedQuoteNamesWhereItOpened() {
        #expect(throws: CSVSyntaxError(line: 2, column: 3, message: "quoted field starting here is never closed")) {
            try CSVRecords.parse(Array("a,b\n1,\"open\n2,3\n".utf8))
        }
    }
}
