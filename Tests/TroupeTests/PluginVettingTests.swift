import Foundation
import Testing
import Troupe

/// Plugins whose own code crashes, exits or hangs while loading: vetted in a child (the built
/// `troupe` tool in probe mode), each is refused by name, the host never maps it, and stays up.
@Suite("Plugin vetting: misbehaving plugins are tried in a child process, never in the host", .timeLimit(.minutes(6)))
struct PluginVettingTests {
    let fixtures: PluginFixtures

    init() throws { fixtures = try PluginFixtures() }

    /// Loads `files` and a good plugin with vetting, checks the good one runs and none of `files` is mapped here, and returns the reasons by file.
    /// The probe's limit: a sanitizer-built probe that crashes first symbolises its report, which on a
    /// busy machine takes far longer than the crash itself.
    private static let crashLimit: Duration = PluginFixtures.underThreadSanitizer ? .seconds(120) : .seconds(30)

    private func vet(_ files: [String], timeLimit: Duration = crashLimit) async throws -> [String: String] {
        let stem = "vetted\(UUID().uuidString.prefix(6))"
        let good = try fixtures.fixture(stem, ["name": .string(stem), "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        let failures = await runtime.registry.loadPlugins(files: files + [good], options: PluginFixtures.vetting(timeLimit: timeLimit))
        #expect(runtime.registry.plugins.map(\.name) == [stem], "\(failures)")
        let result = try await runtime.start(WorkflowDefinition(id: "alive") { NodeDefinition("x", kind: stem) }).result
        #expect(result.nodes["x"]?.output?["plugin"] == .string(stem))
        let maps = String(decoding: try FileHandle(forReadingAtPath: "/proc/self/maps")?.readToEnd() ?? Data(), as: UTF8.self)
        for file in files { #expect(!maps.contains("/" + (file as NSString).lastPathComponent), "\(file) was mapped into the host") }
        #expect(failures.count == files.count)
        return Dictionary(failures.map { ($0.file, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }

    @Test("C plugins whose constructor exits, aborts or whose functions crash")
    func crashingCPlugins() async throws {
        let exits = try await fixtures.compileC(
            "libctorexit", source: PluginFixtures.cPlugin("__attribute__((constructor)) static void start(void) { exit(0); }"))
        let aborts = try await fixtures.compileC(
            "libctorabort", source: PluginFixtures.cPlugin("__attribute__((constructor)) static void start(void) { abort(); }"))
        let abiCrash = try await fixtures.compileC(
            "libabicrash",
            source: """
                long troupe_plugin_abi(void *out, long capacity) { *(volatile long *)16 = capacity; return 0; }
                """)
        let garbage = try await fixtures.compileC("libgarbage", source: PluginFixtures.cPlugin("void *troupe_plugin_entry(void) { return (void *)0x10; }"))
        let reasons = try await vet([exits, aborts, abiCrash, garbage])
        let expected = [
            (exits, "constructor", "exited with status 0"),
            (aborts, "constructor", "was killed by signal 6 (SIGABRT)"),
            (abiCrash, "ABI function (troupe_plugin_abi)", "was killed by signal 11 (SIGSEGV)"),
            (garbage, "entry point (troupe_plugin_entry)", "was killed by signal 11 (SIGSEGV)"),
        ]
        for (file, stage, outcome) in expected {
            let reason = reasons[file] ?? "loaded"
            if PluginFixtures.underThreadSanitizer {
                // The sanitizer's runtime in the probe reports the crash itself and exits 66; the stage is still named.
                #expect(reason.hasPrefix("vetting: the plugin's \(stage) "), "\(reason)")
            } else {
                #expect(reason == "vetting: the plugin's \(stage) \(outcome)")
            }
        }
    }

    @Test("Swift plugins whose configure traps, exits or throws, or whose entry returns the wrong type")
    func misbehavingSwiftPlugins() async throws {
        let s = UUID().uuidString.prefix(6)
        let traps = try fixtures.fixture("traps\(s)", ["name": "traps\(s)", "configureFault": "trap"])
        let exits = try fixtures.fixture("exits\(s)", ["name": "exits\(s)", "configureFault": "exit"])
        let throwing = try fixtures.fixture("throws\(s)", ["name": "throws\(s)", "configureError": "no database"])
        let wrongType = try fixtures.fixture("wrongtype\(s)", ["entryReturnsWrongType": true])
        let nothing = try fixtures.fixture("nothing\(s)", ["entryReturnsNothing": true])
        let reasons = try await vet([traps, exits, throwing, wrongType, nothing])
        // Under the sanitizer its runtime reports the trap itself and exits 66; the stage is still named.
        let trapOutcome = PluginFixtures.underThreadSanitizer ? "vetting: the plugin's configure " : "vetting: the plugin's configure was killed by signal "
        #expect(reasons[traps]?.hasPrefix(trapOutcome) == true, "\(reasons[traps] ?? "loaded")")
        #expect(reasons[traps]?.contains("did not answer") == false, "\(reasons[traps] ?? "loaded")")
        #expect(reasons[exits] == "vetting: the plugin's configure exited with status 3")
        #expect(reasons[throwing] == "configuring failed: FixtureConfigure: no database")
        #expect(reasons[wrongType] == "the entry point returned a NotAFactory, not a PluginFactory")
        #expect(reasons[nothing] == "the entry point troupe_plugin_entry returned nothing")
    }

    @Test("a constructor, an ABI function and a configure that never return are stopped at the time limit")
    func hangingPlugins() async throws {
        let blocks = try await fixtures.compileC(
            "libctorblocks", source: PluginFixtures.cPlugin("__attribute__((constructor)) static void start(void) { for (;;) pause(); }"))
        let abiHangs = try await fixtures.compileC(
            "libabihangs", source: "#include <unistd.h>\nlong troupe_plugin_abi(void *out, long capacity) { for (;;) pause(); }")
        let configureHangs = try fixtures.fixture("hangs\(UUID().uuidString.prefix(6))", ["configureFault": "hang"])
        let runtime = WorkflowRuntime()
        let failures = await runtime.registry.loadPlugins(files: [blocks, abiHangs, configureHangs], options: PluginFixtures.vetting(timeLimit: .seconds(1)))
        let reasons = Dictionary(uniqueKeysWithValues: failures.map { ($0.file, $0.reason) })
        for (file, stage) in [(blocks, "constructor"), (abiHangs, "ABI function (troupe_plugin_abi)"), (configureHangs, "configure")] {
            // A loaded machine may not get the probe to the plugin's code within the second; then the probe itself is named.
            let reason = reasons[file] ?? "loaded"
            #expect(reason == "vetting: the plugin's \(stage) did not answer within 1 s" || reason.hasPrefix("vetting: the probe "), "\(reason)")
        }
        #expect(runtime.registry.plugins.isEmpty)
    }

    @Test("a probe that cannot start, or that answers nonsense, is a named failure")
    func badProbes() async throws {
        let plugin = try fixtures.fixture("probed\(UUID().uuidString.prefix(6))", ["name": "probed"])
        let missing = PluginLoadOptions(vetting: .probe(executable: fixtures.directory + "/no-probe", timeLimit: .seconds(5)))
        let failures = await Registry().loadPlugins(files: [plugin], options: missing)
        #expect(failures.first?.reason == "vetting: cannot start the probe \(fixtures.directory)/no-probe: No such file or directory")
        let chatty = PluginLoadOptions(vetting: .probe(executable: "/bin/echo", arguments: ["answer", "{"], timeLimit: .seconds(5)))
        let nonsense = await Registry().loadPlugins(files: [plugin], options: chatty)
        #expect(nonsense.first?.reason.hasPrefix("vetting: the probe's answer is not understood") == true, "\(nonsense)")
    }
}
