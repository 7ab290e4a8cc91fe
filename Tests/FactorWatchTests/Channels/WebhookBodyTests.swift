import Foundation
import Testing

@testable import FactorWatch

/// The request bodies come from the one JSON writer: a real HTTP server records them, and Python's `json` module
/// reads them back and writes them again in its canonical form (keys sorted, no spaces).
struct WebhookBodyTests {
    /// What a hand-written escaper gets wrong: quotes, backslashes, control characters, the line separators
    /// JavaScript refuses, slashes, Chinese and an emoji.
    let awkward = "say \"hi\" \\ back\nline\ttab \u{01}\u{1F}\u{7F} \u{2028}\u{2029} a/b 因子 🚨"

    @Test func everyPresetPostsPythonsCanonicalJSONAndTheTextComesBackIntact() throws {
        let dir = TemporaryDirectory("hook-bodies")
        let http = try ChannelTestServer(script: "http_server.py", folder: dir.path + "/requests")
        defer { http.stop() }
        let digest = channelSampleDigest(summary: awkward, labels: ["B": awkward, "a": "1", "dir": "/data/x"])
        let presets: [WebhookPreset] = [.slack, .wecom, .dingtalk, .feishu, .none]
        for preset in presets {
            let settings = WebhookSettings(url: "http://127.0.0.1:\(http.port)/\(preset.rawValue)", preset: preset,
                                           secret: preset == .feishu ? Secret("s") : nil)
            let channel = WebhookChannel(name: "hook", settings: settings, zone: shanghai,
                                         now: { Date(timeIntervalSince1970: 1_795_000_000) })
            #expect(channel.deliver(digest) == .sent, "\(preset)")
        }
        let bodies = http.records().map { $0["body"] as? String ?? "" }
        try #require(bodies.count == presets.count)
        let script = """
            import json, sys
            out = []
            for body in json.load(sys.stdin):
                value = json.loads(body)
                canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                text = (value.get("text") if isinstance(value.get("text"), str) else None) \\
                    or (value.get("text") or {}).get("content") or (value.get("content") or {}).get("text")
                first = (value.get("alerts") or [{}])[0]
                out.append({"canonical": canonical == body, "text": text, "summary": first.get("summary"),
                            "label": (first.get("labels") or {}).get("B"), "value": first.get("value"),
                            "ends_at": first.get("ends_at", "absent")})
            print(json.dumps(out))
            """
        let input = String(decoding: try JSONSerialization.data(withJSONObject: bodies), as: UTF8.self)
        let seen = try #require(
            try JSONSerialization.jsonObject(with: python3(script, input: input)) as? [[String: Any]])
        for (preset, body) in zip(presets, seen) {
            #expect(body["canonical"] as? Bool == true, "\(preset) is not in canonical form")
        }
        for chat in seen.prefix(4) {
            #expect((chat["text"] as? String)?.contains(awkward) == true)
        }
        let generic = seen[4]
        #expect(generic["summary"] as? String == awkward)
        #expect(generic["label"] as? String == awkward)
        #expect(generic["value"] as? Int == 2)
        #expect(generic["ends_at"] is NSNull, "a firing alert's ends_at is null, not left out")
    }

    /// Stored labels are lookup keys: they keep the form earlier versions wrote (sorted keys, `/` escaped), or
    /// alerts stored before an upgrade would no longer be found.
    @Test func storedLabelsKeepTheirEarlierForm() {
        let labels: Labels = ["path": "/data/by_date", "date": "20261119", "名": "值"]
        #expect(JSONWriter.stored.string(labels) == #"{"date":"20261119","path":"\/data\/by_date","名":"值"}"#)
    }
}
