#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A job started with `posix_spawnp` (so `PATH` is searched), its standard output and error on pipes, in a
/// process group of its own so a timeout or a forwarded signal reaches the processes it starts too.
struct ChildProcess {
    let pid: pid_t
    let stdoutRead: Int32
    let stderrRead: Int32

    /// Spawns `argv`; on failure returns the `errno` of the attempt.
    static func spawn(_ argv: [String]) -> Result<ChildProcess, SpawnError> {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard makePipe(&outPipe) else { return .failure(SpawnError(code: errno)) }
        guard makePipe(&errPipe) else {
            let code = errno
            close(outPipe[0])
            close(outPipe[1])
            return .failure(SpawnError(code: code))
        }
        defer {
            close(outPipe[1])
            close(errPipe[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The wrapper catches some signals and ignores SIGPIPE; the job must start with the defaults.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in SignalForwarding.signals + [SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP
        posix_spawnattr_setflags(&attributes, Int16(flags))

        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArguments.append(nil)
        defer { for pointer in cArguments { free(pointer) } }

        var pid: pid_t = 0
        let status = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            return .failure(SpawnError(code: status))
        }
        return .success(ChildProcess(pid: pid, stdoutRead: outPipe[0], stderrRead: errPipe[0]))
    }

    /// Sends a signal to the job's whole process group (falling back to the job alone).
    func signal(_ number: Int32) {
        if kill(-pid, number) != 0 { kill(pid, number) }
    }

    /// The exit status once the job has ended, without blocking; nil while it runs.
    func poll() -> Termination? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        return Termination(waitStatus: status)
    }

    /// Blocks until the job ends.
    func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno != EINTR { return Termination(exitCode: -1, signal: nil) }
        }
        return Termination(waitStatus: status)
    }
}

/// How a job ended.
struct Termination: Equatable {
    /// The exit status as a shell reports it: the code, or 128 + the signal.
    var exitCode: Int32
    var signal: Int32?

    init(exitCode: Int32, signal: Int32?) {
        self.exitCode = exitCode
        self.signal = signal
    }

    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self.init(exitCode: (status >> 8) & 0xff, signal: nil)
        } else {
            self.init(exitCode: 128 + low, signal: low)
        }
    }
}

struct SpawnError: Error {
    var code: Int32
    var reason: String { String(cString: strerror(code)) }
    /// 127 when the command was not found, 126 when it could not be executed, as shells answer.
    var exitCode: Int32 { code == ENOENT || code == ENOTDIR ? 127 : 126 }
}

/// A pipe whose ends are closed on exec (glibc's `pipe2` is not visible from Swift).
func makePipe(_ fds: inout [Int32], nonBlocking: Bool = false) -> Bool {
    guard pipe(&fds) == 0 else { return false }
    for fd in fds {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        if nonBlocking { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    }
    return true
}
