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

    /// The report's rendering test opens the page in Debian's chromium; history tests read with sqlite3.
    @Test(arguments: ["/usr/bin/chromium", "/usr/bin/sqlite3"])
    func programIsInstalled(path: String) {
        #expect(FileManager.default.isExecutableFile(atPath: path), "\(path) is missing: bash scripts/install-deps.sh")
    }
}
