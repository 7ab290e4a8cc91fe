import Foundation
import Testing

/// Under `CI=true` every program and Python module a test relies on must be installed (by
/// `scripts/install-deps.sh`); a missing one is a failure here, named, rather than a skipped suite elsewhere.
@Suite(.enabled(if: runningInCI, "outside CI a missing dependency skips the tests that need it"))
struct TestDependenciesTests {
    @Test(arguments: ["aiosmtpd", "pandas", "pyarrow", "numpy", "scipy", "polars"])
    func pythonModuleIsInstalled(module: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import \(module)"]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 cannot import \(module): \(message)")
    }

    /// The deployment test's tools (packaging/deployment-test.sh), the Chromium the report is rendered in, and
    /// the sqlite3 the history tests read with.
    @Test(arguments: ["/usr/sbin/cron", "/usr/bin/dpkg-deb", "/usr/bin/dpkg-shlibdeps", "/usr/bin/fakeroot",
                      "/usr/sbin/adduser", "/usr/sbin/logrotate", "/usr/bin/strip", "/usr/bin/pgrep",
                      "/usr/bin/chromium", "/usr/bin/sqlite3"])
    func deploymentToolIsInstalled(path: String) {
        #expect(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing; run scripts/install-deps.sh")
    }
}
