import Foundation
import Testing
@testable import FactorWatch

/// `next` and `previous` against a minute-by-minute walk written separately in Python (zoneinfo for the clock,
/// Vixie cron's rule that a restricted day of month and day of week are alternatives).
@Suite struct CronScheduleReferenceTests {
    static let schedules = [
        "*/15 * * * *", "30 2 * * *", "0 9-17/2 * * 1-5", "5,35 */6 1,15 * *", "0 0 * * 0", "0 0 * * 7",
        "45 23 28-31 * *", "0 12 13 * 5", "10 3 * 2 *", "0 0 1 */3 *", "59 23 * * 6", "0 8 10-12 * sun,wed",
    ]
    static let instants = ["2026-01-31T23:59:30Z", "2026-02-28T12:00:00Z", "2026-11-24T02:30:00Z",
                           "2026-12-31T16:00:00Z"]

    /// For each schedule and instant: the next firing strictly after and the last at or before, in epoch seconds.
    static func reference(zone: String) throws -> [String: [Int]] {
        let script = #"""
            import datetime, json, sys, zoneinfo
            NAMES = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
            def field(text, low, high):
                out = set()
                for part in text.split(","):
                    step = 1
                    if "/" in part:
                        part, s = part.split("/"); step = int(s)
                    if part == "*":
                        a, b = low, high
                    elif "-" in part:
                        a, b = [int(NAMES.get(x, x)) for x in part.split("-")]
                    else:
                        a = int(NAMES.get(part, part)); b = high if step > 1 else a
                    out |= set(range(a, b + 1, step))
                return out, not text.startswith("*")
            def parse(expr):
                mi, ho, dom, mo, dow = expr.split()
                (m, _), (h, _), (d, dr) = field(mi, 0, 59), field(ho, 0, 23), field(dom, 1, 31)
                (mon, _), (w, wr) = field(mo, 1, 12), field(dow, 0, 7)
                if 7 in w: w.add(0)
                def day_fires(t):
                    wd = (t.weekday() + 1) % 7
                    day = (t.day in d or wd in w) if (dr and wr) else (t.day in d and wd in w)
                    return t.month in mon and day
                return lambda t: t.minute in m and t.hour in h, day_fires
            def walk(t, step, time_fires, day_fires):
                # Whole days that do not fire are stepped over at once (to their last or first minute).
                while True:
                    if not day_fires(t):
                        edge = t.replace(hour=23, minute=59) if step.total_seconds() > 0 else t.replace(hour=0, minute=0)
                        t = edge + step
                    elif time_fires(t):
                        return t
                    else:
                        t += step
            zone = zoneinfo.ZoneInfo(sys.argv[1])
            result = {}
            minute = datetime.timedelta(minutes=1)
            for expr in json.loads(sys.argv[2]):
                time_fires, day_fires = parse(expr)
                for text in json.loads(sys.argv[3]):
                    start = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
                    local = start.astimezone(zone).replace(second=0, microsecond=0)
                    after = walk(local + minute, minute, time_fires, day_fires)
                    before = walk(local, -minute, time_fires, day_fires)
                    result[expr + "@" + text] = [int(after.timestamp()), int(before.timestamp())]
            print(json.dumps(result))
            """#
        let encode = { (values: [String]) in String(decoding: try JSONEncoder().encode(values), as: UTF8.self) }
        let data = try python3(script, [zone, try encode(schedules), try encode(instants)])
        return try JSONDecoder().decode([String: [Int]].self, from: data)
    }

    @Test(arguments: ["UTC", "Asia/Shanghai"])
    func nextAndPreviousMatchAMinuteByMinuteWalk(_ zoneName: String) throws {
        let zone = try TimeZoneRules(identifier: zoneName)
        let reference = try Self.reference(zone: zoneName)
        #expect(reference.count == Self.schedules.count * Self.instants.count)
        for expression in Self.schedules {
            let schedule = try CronSchedule(expression)
            for text in Self.instants {
                let instant = try #require(Timestamp.parse(text, in: .utc))
                let expected = try #require(reference[expression + "@" + text])
                let next = schedule.next(after: instant, in: zone).map { Int($0.timeIntervalSince1970) }
                let previous = schedule.previous(atOrBefore: instant, in: zone).map { Int($0.timeIntervalSince1970) }
                #expect(next == expected[0], "\(expression) next after \(text) in \(zoneName)")
                #expect(previous == expected[1], "\(expression) previous at or before \(text) in \(zoneName)")
            }
        }
    }
}
