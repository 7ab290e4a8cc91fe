import Foundation

@testable import FactorWatch

/// Whether a test that needs the program at `path` runs: always under CI (a missing program is then a failure),
/// elsewhere only when it is installed.
func toolTestsEnabled(_ path: String) -> Bool {
    runningInCI || FileManager.default.isExecutableFile(atPath: path)
}

let alertmanagerBinary = "/usr/bin/prometheus-alertmanager"

/// Debian's Alertmanager, run on 127.0.0.1 with free ports and its own storage; alone, or as a gossip peer.
final class AlertmanagerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let clusterPort: Int
    let folder: String

    /// `resolve_timeout` short, one receiver that sends nowhere, so the API shows exactly what was posted.
    static let configuration = """
        global:
          resolve_timeout: 5s
        route:
          receiver: nowhere
          group_wait: 1s
          group_interval: 1s
          repeat_interval: 1h
        receivers:
          - name: nowhere
        """

    /// `peer`: the cluster port of a running peer to join; `clustered` false runs it alone.
    init(folder: String, clustered: Bool = false, peer: Int? = nil) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.configuration.write(toFile: folder + "/alertmanager.yml", atomically: true, encoding: .utf8)
        port = ChannelTestServer.closedPort()
        clusterPort = clustered ? ChannelTestServer.closedPort() : 0
        var arguments = [
            "--config.file=\(folder)/alertmanager.yml", "--storage.path=\(folder)/data",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        if clustered {
            arguments += [
                "--cluster.listen-address=127.0.0.1:\(clusterPort)",
                "--cluster.advertise-address=127.0.0.1:\(clusterPort)",
                "--cluster.gossip-interval=100ms", "--cluster.pushpull-interval=1s",
            ]
            if let peer { arguments.append("--cluster.peer=127.0.0.1:\(peer)") }
        } else {
            arguments.append("--cluster.listen-address=")
        }
        process.executableURL = URL(fileURLWithPath: alertmanagerBinary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: folder + "/alertmanager.log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: folder + "/alertmanager.log")
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning, (try? get("/-/ready")) == nil {
            Thread.sleep(forTimeInterval: 0.1)
        }
        guard process.isRunning, (try? get("/-/ready")) != nil else {
            stop()
            let log = (try? String(contentsOfFile: folder + "/alertmanager.log", encoding: .utf8)) ?? ""
            throw ChannelServerError(message: "alertmanager did not become ready:\n" + log)
        }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// The body of a GET, read by Python's urllib (not by the code under test); throws on a non-2xx answer.
    func get(_ path: String) throws -> Data {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = [
            "python3", "-c",
            "import sys, urllib.request; sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=5).read())",
            url + path,
        ]
        let pipe = Pipe()
        child.standardOutput = pipe
        child.standardError = FileHandle.nullDevice
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        child.waitUntilExit()
        guard child.terminationStatus == 0 else { throw ChannelServerError(message: "GET \(path) failed") }
        return data
    }

    /// The active alerts as the API lists them.
    func alerts() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: get("/api/v2/alerts")) as? [[String: Any]] ?? []
    }

    /// The silences as the API lists them.
    func silences() throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: get("/api/v2/silences")) as? [[String: Any]] ?? []
    }

    /// The peers this one sees in its gossip cluster.
    func peerCount() -> Int {
        guard let data = try? get("/api/v2/status"),
              let status = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let cluster = status["cluster"] as? [String: Any] else { return 0 }
        return (cluster["peers"] as? [Any])?.count ?? 0
    }

    /// Waits (at most `seconds`) until `condition` holds over the active alerts.
    @discardableResult
    func waitForAlerts(seconds: Double = 5, _ condition: ([[String: Any]]) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let alerts = try? alerts(), condition(alerts) { return true }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        return false
    }
}

/// The alert whose `alertname` is `name`, in an API listing.
func alert(named name: String, in alerts: [[String: Any]]) -> [String: Any]? {
    alerts.first { ($0["labels"] as? [String: String])?["alertname"] == name }
}
