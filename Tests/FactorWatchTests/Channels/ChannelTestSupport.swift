import Foundation

@testable import FactorWatch

/// `Tests/Servers`, found from this file's place in the tree.
let channelServersDirectory: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Servers").path

/// Whether Python can import aiosmtpd. Outside CI the SMTP tests are skipped (with this said) when it cannot; under
/// `CI=true` they run and fail, so a missing test dependency never passes as green.
let aiosmtpdAvailable: Bool = {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", "import aiosmtpd"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

/// A test server from `Tests/Servers` run as a child process on a free port of 127.0.0.1; stopped by `stop()`.
final class ChannelTestServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// Where the server saves what it receives.
    let folder: String

    init(script: String, folder: String, arguments: [String] = []) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let portFile = folder + "/port"
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "python3", channelServersDirectory + "/" + script, "--dir", folder,
                "--port-file", portFile,
            ] + arguments
        process.standardOutput = FileHandle.nullDevice
        // The servers' own complaints (a client dropping a TLS handshake) go to a log beside what they saved.
        FileManager.default.createFile(atPath: folder + "/server.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: folder + "/server.log")
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while found == nil, Date() < deadline, process.isRunning {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                found = value
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found, ChannelTestServer.accepts(port: found) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw ChannelServerError(message: "\(script) did not start listening")
        }
        port = found
    }

    func stop() {
        // SIGKILL: a test process may run with SIGTERM ignored, and children inherit that.
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// The JSON records the server saved, oldest first.
    func records() -> [[String: Any]] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        }
    }

    /// The raw messages (SMTP) the server saved, oldest first.
    func rawMessages() -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".eml") }.sorted()
        return names.compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// A port that nothing listens on (bound, read and released).
    static func closedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                _ = bind(fd, pointer, length)
                return getsockname(fd, pointer, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

struct ChannelServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// A self-signed certificate for 127.0.0.1 and localhost, made with openssl in `directory`: (cert, key).
func makeSelfSignedCertificate(in directory: String) throws -> (cert: String, key: String) {
    let cert = directory + "/cert.pem"
    let key = directory + "/key.pem"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ChannelServerError(message: "openssl could not make a certificate")
    }
    return (cert, key)
}

/// A digest of two alerts, one of them with Chinese text, at a fixed time.
func channelSampleDigest(
    summary: String = "No factor data for 2 trading days (latest 20261119) 因子数据缺失",
    labels: Labels = ["dir": "data/barra_factors/by_date", "date": "20261119"]
) -> Digest {
    Digest(
        channel: "test", host: "quant-01", createdAt: at("2026-11-24T02:45"), zone: "Asia/Shanghai",
        alerts: [
            AlertNotice(
                rule: "FactorDataStale", severity: .critical, reason: .firing, labels: labels, value: 2,
                summary: summary, description: "下载任务可能失败",
                runbook: "https://wiki.example.com/stale",
                startsAt: at("2026-11-24T02:30")),
            AlertNotice(
                rule: "DiskAlmostFull", severity: .high, reason: .resolved, labels: ["path": "/data"], value: 80,
                summary: "disk at 80%", startsAt: at("2026-11-23T02:30"), endsAt: at("2026-11-24T02:40")),
        ])
}

extension Delivery {
    var failureMessage: String? {
        if case .failed(let message, _) = self { return message }
        return nil
    }

    var isRetryable: Bool? {
        if case .failed(_, let retryable) = self { return retryable }
        return nil
    }
}
