import Foundation
import Testing

/// Secrets given by `*_env` / `*_file` never appear in what factorwatch prints.
@Suite struct SecretsTests {
    let password = "hunter2-SMTP-s3cret"
    let token = "AUTHTOKEN-9f8e7d6c"
    let fileSecret = "dingtalk-SEC-from-file"

    func configuration(_ scratch: Scratch) -> String {
        let config = scratch.demoConfiguration()
        scratch.write("channels/email.yaml", """
            type: smtp
            url: smtp://127.0.0.1:1
            tls: none
            username: alerts
            password_env: FW_TEST_SMTP_PASSWORD
            from: alerts@example.com
            to: [ops@example.com]
            connect_timeout: 1s
            """)
        scratch.write("dingtalk.secret", fileSecret + "\n")
        scratch.write("channels/chat.yaml", """
            type: webhook
            preset: dingtalk
            url: http://127.0.0.1:1/robot/send?access_token=${FW_TEST_TOKEN}
            secret_file: ../dingtalk.secret
            connect_timeout: 1s
            """)
        var text = try! String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "critical: { channels: [alerts_log]", with: "critical: { channels: [alerts_log, email, chat]")
        try! text.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    var environment: [String: String] { ["FW_TEST_SMTP_PASSWORD": password, "FW_TEST_TOKEN": token] }

    func expectNoSecret(_ result: RunResult, _ what: String) {
        for secret in [password, token, fileSecret] {
            #expect(!result.stdout.contains(secret), "\(what) printed a secret on stdout")
            #expect(!result.stderr.contains(secret), "\(what) printed a secret on stderr")
        }
    }

    @Test func checkDryRunEvalAndNotifyTestNeverPrintSecrets() throws {
        let scratch = Scratch()
        let config = configuration(scratch)
        let now = "2026-11-24T02:45:00+08:00"
        let check = try factorwatch(["check", "--config", config], environment: environment)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        expectNoSecret(check, "check")
        for format in ["text", "json"] {
            let dry = try factorwatch(["eval", "--config", config, "--now", now, "--dry-run", "--format", format],
                                      environment: environment)
            #expect(dry.stdout.contains("FactorDataStale"))
            expectNoSecret(dry, "eval --dry-run --format \(format)")
        }
        let eval = try factorwatch(["eval", "--config", config, "--now", now], environment: environment)
        #expect(eval.status == 1)
        #expect(eval.stdout.contains("QUEUED"))
        expectNoSecret(eval, "eval with failing channels")
        let alerts = try factorwatch(["alerts", "--config", config, "--format", "json"], environment: environment)
        expectNoSecret(alerts, "alerts")
        for channel in ["email", "chat"] {
            let test = try factorwatch(["notify-test", "--config", config, channel], environment: environment)
            #expect(test.status == 1)
            #expect(test.stderr.contains("FAILED"))
            expectNoSecret(test, "notify-test \(channel)")
        }
    }

    @Test func aMissingSecretVariableIsAConfigurationError() throws {
        let scratch = Scratch()
        let config = configuration(scratch)
        let check = try factorwatch(["check", "--config", config], environment: ["FW_TEST_TOKEN": token])
        #expect(check.status == 2)
        #expect(check.stdout.contains("channels/email.yaml:5:15: channel email: environment variable FW_TEST_SMTP_PASSWORD (password_env) is not set"))
    }
}
