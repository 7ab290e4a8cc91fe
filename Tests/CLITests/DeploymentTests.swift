import Foundation
import Testing

/// The Debian package built from this tree, installed and run by Debian's cron daemon as the factorwatch user,
/// delivering to a real SMTP server and pinging a real heartbeat server (packaging/deployment-test.sh, about two
/// minutes, mostly waiting for cron's minute). It installs a package and starts cron, so it needs root; under
/// CI=true not being root, or any tool it needs missing, is a failure.
@Suite struct DeploymentTests {
    static let isRoot = geteuid() == 0
    static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    /// The script bounds each of its waits (the lock 480 s, each cron case 150 s), so a stuck step fails there with
    /// its name; this limit is above their sum.
    @Test(.enabled(if: isRoot || ci), .timeLimit(.minutes(20)))
    func thePackageRunsUnderCronAndOneBrokenSecretStaysLocal() throws {
        try #require(Self.isRoot, "the deployment test installs a package and starts cron: it needs root")
        let started = Date()
        // Output to a file, not a pipe: the daemons the script starts must not keep this test waiting for EOF.
        let scratch = Scratch()
        let log = scratch.path + "/deployment.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["BINARY=\(binaryPath)", "bash", repositoryRoot + "/packaging/deployment-test.sh"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try #require(FileHandle(forWritingAtPath: log))
        process.standardError = process.standardOutput
        try process.run()
        process.waitUntilExit()
        let report = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        for line in report.split(separator: "\n") where line.hasPrefix("time: ") { print("deployment test \(line)") }
        #expect(process.terminationStatus == 0, "\(report)")
        #expect(report.contains(" passed, 0 failed"), "installed rule tests: \(report)")
        #expect(report.contains("ok   cron ran eval as factorwatch; the SMTP server received the digest; "
                                + "the heartbeat saw start and success"), "\(report)")
        #expect(report.contains("ok   with chat's secret missing, email still delivered, chat reported, "
                                + "exit 1, the heartbeat saw fail"), "\(report)")
        print("deployment test: \(Int(Date().timeIntervalSince(started))) s")
    }
}
