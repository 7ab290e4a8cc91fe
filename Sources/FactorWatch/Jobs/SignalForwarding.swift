#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write end of the pipe the signal handler reports to. A signal handler can reach no context but globals;
/// one wrapped job per process (the `run` command) is the design, so one slot suffices.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

private func reportSignal(_ signal: Int32) {
    var byte = UInt8(truncatingIfNeeded: signal)
    let saved = errno
    _ = write(signalPipeWriteEnd, &byte, 1)
    errno = saved
}

/// Catches SIGTERM, SIGINT, SIGHUP and SIGQUIT for the wrapper while a job runs, so they can be passed on to the
/// job instead of killing the wrapper before it records the end.
struct SignalForwarding {
    static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]

    let readEnd: Int32
    private let writeEnd: Int32
    private var previous: [(Int32, sighandler_t?)] = []

    init?() {
        var fds: [Int32] = [-1, -1]
        guard makePipe(&fds, nonBlocking: true) else { return nil }
        readEnd = fds[0]
        writeEnd = fds[1]
        signalPipeWriteEnd = writeEnd
        for number in SignalForwarding.signals {
            previous.append((number, signal(number, reportSignal)))
        }
    }

    /// The signals received since the last call.
    func pending() -> [Int32] {
        var received: [Int32] = []
        var byte: UInt8 = 0
        while read(readEnd, &byte, 1) == 1 { received.append(Int32(byte)) }
        return received
    }

    func restore() {
        for (number, handler) in previous { signal(number, handler) }
        signalPipeWriteEnd = -1
        close(readEnd)
        close(writeEnd)
    }
}
