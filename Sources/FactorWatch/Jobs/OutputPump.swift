#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Copies a running job's output to the wrapper's own descriptors as it arrives, keeps the tail, forwards
/// signals, enforces the timeout, and notices the job's end.
///
/// Reads are 64 KiB at a time and written straight through, so a job printing megabytes is never held back by
/// more than one pipe buffer and memory stays bounded.
struct OutputPump {
    let child: ChildProcess
    let output: Int32
    let error: Int32
    var tail: OutputTail

    struct Outcome {
        var termination: Termination
        var timedOut: Bool
    }

    static let chunkSize = 65_536

    init(child: ChildProcess, output: Int32, error: Int32, tail: OutputTail) {
        self.child = child
        self.output = output
        self.error = error
        self.tail = tail
    }

    /// `deadline` is on the monotonic clock.
    mutating func run(deadline: Double?, killGrace: Double, forwarding: SignalForwarding?) -> Outcome {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: OutputPump.chunkSize, alignment: 1)
        defer { buffer.deallocate() }
        var sources: [(read: Int32, write: Int32)] = [(child.stdoutRead, output), (child.stderrRead, error)]
        var brokenOutputs: Set<Int32> = []
        var termination: Termination?
        var timedOut = false
        var killAt: Double?

        while !sources.isEmpty {
            var fds = sources.map { pollfd(fd: $0.read, events: Int16(POLLIN), revents: 0) }
            if let forwarding { fds.append(pollfd(fd: forwarding.readEnd, events: Int16(POLLIN), revents: 0)) }
            // Wake regularly to notice the job's end even when a process it started keeps the pipes open.
            var wait = termination == nil ? 250.0 : 100.0
            if let deadline, !timedOut { wait = min(wait, max(0, (deadline - monotonicSeconds()) * 1_000)) }
            if let killAt { wait = min(wait, max(0, (killAt - monotonicSeconds()) * 1_000)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(wait.rounded(.up)))
            if ready < 0 && errno != EINTR { break }

            var readSomething = false
            var closed: [Int32] = []
            for (index, source) in sources.enumerated() where fds[index].revents != 0 {
                let count = read(source.read, buffer.baseAddress, buffer.count)
                if count > 0 {
                    readSomething = true
                    let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                    tail.append(chunk)
                    if !brokenOutputs.contains(source.write), !OutputPump.writeAll(source.write, chunk) {
                        brokenOutputs.insert(source.write)
                    }
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    closed.append(source.read)
                }
            }
            for fd in closed { close(fd) }
            sources.removeAll { closed.contains($0.read) }

            if let forwarding {
                for number in forwarding.pending() { child.signal(number) }
            }
            if termination == nil { termination = child.poll() }
            if termination != nil && !readSomething && ready >= 0 { break }

            let now = monotonicSeconds()
            if let deadline, !timedOut, termination == nil, now >= deadline {
                timedOut = true
                child.signal(SIGTERM)
                killAt = now + killGrace
            } else if let at = killAt, termination == nil, now >= at {
                child.signal(SIGKILL)
                killAt = nil
            }
        }
        for source in sources { close(source.read) }
        return Outcome(termination: termination ?? child.wait(), timedOut: timedOut)
    }

    /// Writes all of `bytes`; false when the descriptor no longer accepts output.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
