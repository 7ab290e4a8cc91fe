import Foundation
import Testing

/// A directory the monitor's user cannot list is reported, never taken for an empty one. Root reads any
/// directory, so as root the binary is run as `nobody` (as the packaged service runs as its own user).
@Suite struct UnreadableDirectoryTests {
    @Test func aBackupDirectoryTheUserCannotListIsAGlobError() throws {
        let scratch = Scratch()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
        scratch.write("backup/barra_factors_20261122.tar.gz", "x")
        scratch.write("rules/files.yaml", """
            rules:
              - alert: BackupUnreadable
                expr: file_glob_error > 0
                severity: high
            """)
        let config = scratch.write("factorwatch.yaml", """
            timezone: UTC
            state: \(scratch.path)/state/fw.db
            collectors:
              files:
                backup: { glob: \(scratch.path)/backup/*.tar.gz }
            """)
        chmod(scratch.path + "/backup", 0)
        defer { chmod(scratch.path + "/backup", 0o755) }

        let arguments = ["observe", "--config", config, "--format", "json"]
        let result: RunResult
        if geteuid() == 0 {
            result = try runProgram(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binaryPath]
                                    + arguments)
        } else {
            result = try factorwatch(arguments)
        }
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let observations = try #require(json["observations"] as? [[String: Any]])
        func value(_ metric: String) -> Double? {
            observations.first { ($0["metric"] as? String) == metric }.flatMap { ($0["value"] as? NSNumber)?.doubleValue }
        }
        #expect(value("file_glob_error") == 1)
        #expect(value("file_count") == 0)
    }
}
