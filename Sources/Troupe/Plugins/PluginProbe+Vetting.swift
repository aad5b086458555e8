#if canImport(Glibc)
    import Glibc
#endif

extension PluginProbe {
    /// The most a probe may write; more is a bad answer.
    private static let answerLimit = 1 << 20

    /// Runs the probe on `copy` (the private copy of `file`) with the configurations by plugin name,
    /// and throws what it found wrong: its own load failure, or a crash, exit, hang or bad answer of
    /// the plugin's code.
    static func vet(
        copy: String, file: String, configurations: [String: JSONValue], executable: String, arguments: [String], timeLimit: Duration
    ) throws(PluginFailure) {
        func fail(_ reason: String) -> PluginFailure { PluginFailure(file: file, reason: reason) }
        var pipeEnds: [Int32] = [-1, -1]
        // A socket pair because it can be made close-on-exec atomically, unlike pipe() here: a copy of
        // the writing end leaked into another child would keep the answer from ever ending.
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, type, 0, &pipeEnds) == 0 else { throw fail("vetting: cannot make a socket pair: \(String(cString: strerror(errno)))") }
        let child: pid_t
        do throws(PluginFailure) {
            defer { close(pipeEnds[1]) }
            child = try spawn(executable, arguments + [copy, JSONWriter.write(.object(configurations), pretty: false)], output: pipeEnds[1], fail: fail)
        } catch {
            close(pipeEnds[0])
            throw error
        }
        let deadline = ProbeDeadline(after: timeLimit)
        let (output, answered) = read(pipeEnds[0], until: deadline)
        close(pipeEnds[0])
        let status = answered ? wait(for: child, until: deadline) : nil
        if status == nil {
            kill(-child, SIGKILL)
            kill(child, SIGKILL)
            var ignored: Int32 = 0
            while waitpid(child, &ignored, 0) < 0 && errno == EINTR {}
        }

        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        let stage = lines.last { $0.hasPrefix("stage ") }.flatMap { PluginLoadStage(rawValue: String($0.dropFirst(6))) }
        let culprit = stage.map { "the plugin's \($0.described)" } ?? "the probe \(executable)"
        guard let status else { throw fail("vetting: \(culprit) did not answer within \(Self.seconds(timeLimit))") }
        let signal = status & 0x7F
        if signal != 0 { throw fail("vetting: \(culprit) was killed by signal \(signal) (\(Self.signalName(signal)))") }
        let code = (status >> 8) & 0xFF
        guard let line = lines.last(where: { $0.hasPrefix("answer ") }) else {
            throw fail("vetting: \(culprit) exited with status \(code)")
        }
        guard code == 0, lines.last == line, let answer = try? JSONParser.parse(String(line.dropFirst(7))), answer.objectValue != nil else {
            throw fail("vetting: the probe's answer is not understood (exit status \(code), \(output.count) bytes)")
        }
        if let reason = answer["failure"]?.stringValue {
            throw PluginFailure(file: file, plugin: answer["plugin"]?.stringValue, reason: reason)
        }
        guard answer["name"]?.stringValue != nil, answer["version"]?.stringValue != nil else {
            throw fail("vetting: the probe's answer names no plugin")
        }
    }

    /// Starts `executable` in a process group of its own, its standard output into `output`, the others on /dev/null.
    private static func spawn(_ executable: String, _ arguments: [String], output: Int32, fail: (String) -> PluginFailure) throws(PluginFailure) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let words = ([executable] + arguments).map { strdup($0) }
        defer { for word in words { free(word) } }
        var argv = words + [nil]
        // Vetting needs only how the probe ended: the Swift runtime's crash backtracer would first spend
        // seconds (or, without a terminal, longer than any limit) symbolising a plugin's trap.
        var inherited: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            let variable = String(cString: pointer)
            if !variable.hasPrefix("SWIFT_BACKTRACE=") { inherited.append(variable) }
            entry += 1
        }
        let environment = (inherited + ["SWIFT_BACKTRACE=enable=no"]).map { strdup($0) }
        defer { for variable in environment { free(variable) } }
        var envp = environment + [nil]
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, &argv, &envp)
        guard result == 0 else { throw fail("vetting: cannot start the probe \(executable): \(String(cString: strerror(result)))") }
        return child
    }

    /// What arrives on `descriptor` until it closes (`true`) or the deadline passes (`false`).
    private static func read(_ descriptor: Int32, until deadline: ProbeDeadline) -> ([UInt8], Bool) {
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while let remaining = deadline.remainingMilliseconds() {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = Glibc.read(descriptor, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0, output.count < answerLimit else { return (output, true) }
            output += chunk[..<count]
        }
        return (output, false)
    }

    /// The child's wait status once it exits, or `nil` if it is still running at the deadline.
    private static func wait(for child: pid_t, until deadline: ProbeDeadline) -> Int32? {
        var status: Int32 = 0
        while true {
            let result = waitpid(child, &status, WNOHANG)
            if result == child { return status }
            if result < 0 && errno != EINTR { return 0 }
            // It closed its output but has not exited yet: an exit takes microseconds, so poll briefly.
            guard deadline.remainingMilliseconds() != nil else { return nil }
            var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
            nanosleep(&pause, nil)
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        return fraction == 0 ? "\(whole) s" : "\(Double(whole) + Double(fraction) / 1e18) s"
    }

    private static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGHUP: "SIGHUP"
        case SIGINT: "SIGINT"
        case SIGQUIT: "SIGQUIT"
        case SIGILL: "SIGILL"
        case SIGTRAP: "SIGTRAP"
        case SIGABRT: "SIGABRT"
        case SIGBUS: "SIGBUS"
        case SIGFPE: "SIGFPE"
        case SIGKILL: "SIGKILL"
        case SIGSEGV: "SIGSEGV"
        case SIGPIPE: "SIGPIPE"
        case SIGALRM: "SIGALRM"
        case SIGTERM: "SIGTERM"
        case SIGSYS: "SIGSYS"
        default: "signal \(signal)"
        }
    }
}
