import Foundation
import Testing

/// The Debian package installed and run by Debian's cron as the factorwatch user, delivering to a real SMTP
/// server (packaging/deployment-test.sh). Needs root; under CI=true not being root is a failure.
@Suite struct DeploymentTests {
    static let isRoot = geteuid() == 0
    static let ci = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(.enabled(if: isRoot || ci), .timeLimit(.minutes(8)))
    func packageRunsUnderCronAndOneBrokenSecretStaysLocal() throws {
        try #require(Self.isRoot, "the deployment test installs a package and starts cron: it needs root")
        let result = try runProgram(["BINARY=\(binaryPath)", "bash", repositoryRoot + "/packaging/deployment-test.sh"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains(" passed, 0 failed"), "installed rule tests: \(result.stdout)")
        #expect(result.stdout.contains("ok   cron ran eval as factorwatch; the SMTP server received the digest"))
        #expect(result.stdout.contains("ok   with chat's secret missing, email still delivered, chat reported, exit 1"))
    }
}
