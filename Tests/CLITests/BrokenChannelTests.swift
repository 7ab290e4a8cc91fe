import Foundation
import Testing

/// A channel whose secret is missing or unreadable fails alone: the rest is evaluated and delivered, the broken
/// one is named by eval (exit 1), check (exit 2), status and a ChannelBroken alert through the other channels.
@Suite struct BrokenChannelTests {
    let now = "2026-11-24T02:45:00+08:00"

    /// The demo configuration with an email channel (secret from `password_env` or `password_file`) on every route.
    func configuration(_ scratch: Scratch, secret: String) -> String {
        let config = scratch.demoConfiguration()
        scratch.write("channels/email.yaml", """
            type: smtp
            url: smtp://127.0.0.1:1
            tls: none
            username: alerts
            \(secret)
            from: alerts@example.com
            to: [ops@example.com]
            connect_timeout: 1s
            """)
        var text = try! String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "channels: [alerts_log]", with: "channels: [alerts_log, email]")
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    func logged(_ scratch: Scratch) throws -> [[String: Any]] {
        let text = (try? String(contentsOfFile: scratch.path + "/alerts.log", encoding: .utf8)) ?? ""
        return try text.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    @Test(arguments: ["password_env: FW_TEST_UNSET_PASSWORD", "password_file: ../missing.secret"])
    func aMissingSecretBreaksOnlyItsChannel(secret: String) throws {
        let scratch = Scratch()
        let config = configuration(scratch, secret: secret)
        let eval = try factorwatch(["eval", "--config", config, "--now", now])
        #expect(eval.status == 1, "\(eval.stdout)\(eval.stderr)")
        #expect(eval.stderr.contains("channel email cannot send: \(scratch.path)/channels/email.yaml:5:"))
        // Every rule was evaluated and the working channel got the digest, with the broken channel's alert in it.
        #expect(eval.stdout.contains("FIRING critical FactorDataStale"))
        let records = try logged(scratch)
        let alerts = records.flatMap { ($0["alerts"] as? [[String: Any]]) ?? [$0] }
        let names = Set(alerts.compactMap { $0["rule"] as? String ?? ($0["labels"] as? [String: String])?["alertname"] })
        #expect(names.contains("FactorDataStale"), "\(records)")
        #expect(names.contains("ChannelBroken"), "\(records)")

        let check = try factorwatch(["check", "--config", config])
        #expect(check.status == 2)
        let expected = secret.hasPrefix("password_env")
            ? "email.yaml:5:15: channel email: environment variable FW_TEST_UNSET_PASSWORD (password_env) is not set"
            : "email.yaml:5:16: channel email: cannot read password_file \(scratch.path)/missing.secret"
        #expect(check.stdout.contains("\(scratch.path)/channels/" + expected), "\(check.stdout)")

        let status = try factorwatch(["status", "--config", config, "--now", now])
        #expect(status.stdout.contains("BROKEN  channel email: \(scratch.path)/channels/email.yaml:5:"),
                "\(status.stdout)")
    }

    @Test func unreadableSecretFileIsNamed() throws {
        let scratch = Scratch()
        let secretFile = scratch.write("email.secret", "s3cret\n")
        chmod(secretFile, 0)
        let config = configuration(scratch, secret: "password_file: ../email.secret")
        let check = try factorwatch(["check", "--config", config])
        // root reads any file; everyone else is refused.
        if geteuid() != 0 {
            #expect(check.status == 2)
            #expect(check.stdout.contains("cannot read password_file \(scratch.path)/email.secret"), "\(check.stdout)")
        } else {
            #expect(check.status == 0, "\(check.stdout)")
        }
    }

    @Test func checkWithCronEnvironmentFindsTheShellOnlySecret() throws {
        let scratch = Scratch()
        let config = configuration(scratch, secret: "password_env: FW_TEST_SHELL_PASSWORD")
        let shell = try factorwatch(["check", "--config", config], environment: ["FW_TEST_SHELL_PASSWORD": "pw"])
        #expect(shell.status == 0, "\(shell.stdout)")
        let cron = try factorwatch(["check", "--cron-env", "--config", config],
                                   environment: ["FW_TEST_SHELL_PASSWORD": "pw"])
        #expect(cron.status == 2)
        #expect(cron.stdout.contains("environment variable FW_TEST_SHELL_PASSWORD (password_env) is not set"))
    }
}
