import Foundation
import Testing
import Troupe

/// The bad-plugin corpus: files built here at test time, each refused with its named error while
/// the host stays up and a good plugin beside them still loads and runs. The table in
/// `BadPlugins.md` lists the same outcomes.
@Suite("Bad plugin files: each is refused by name before it is mapped, and the host stays up", .timeLimit(.minutes(3)))
struct PluginCorpusTests {
    let fixtures: PluginFixtures

    init() throws { fixtures = try PluginFixtures() }

    private var fixtureBytes: [UInt8] {
        get throws { Array(try Data(contentsOf: URL(fileURLWithPath: PluginFixtures.product("TroupeFixturePlugin")))) }
    }

    /// Loads `files` plus a good plugin into a new runtime, checks that each file either loaded or failed
    /// and that the good one runs, and returns the reasons by file.
    private func load(_ files: [String], options: PluginLoadOptions = PluginLoadOptions()) async throws -> [String: String] {
        let stem = "good\(UUID().uuidString.prefix(6))"
        let good = try fixtures.fixture(stem, ["name": .string(stem), "executors": [.string(stem)]])
        let runtime = WorkflowRuntime()
        let failures = await runtime.registry.loadPlugins(files: files + [good], options: options)
        #expect(runtime.registry.plugins.map(\.name).contains(stem), "\(failures)")
        #expect(failures.count + runtime.registry.plugins.count == files.count + 1)
        let result = try await runtime.start(WorkflowDefinition(id: "alive") { NodeDefinition("x", kind: stem) }).result
        #expect(result.nodes["x"]?.output?["plugin"] == .string(stem))
        return Dictionary(failures.map { ($0.file, $0.reason) }, uniquingKeysWith: { first, _ in first })
    }

    /// The fixture library with `change` applied to its bytes, written as `lib<stem>.so`.
    private func patched(_ stem: String, _ change: (inout [UInt8]) -> Void) throws -> String {
        var bytes = try fixtureBytes
        change(&bytes)
        return try fixtures.file("lib\(stem).so", bytes: bytes, mode: 0o755)
    }

    @Test("not shared libraries, truncated at several sizes, or built for another machine")
    func malformedFiles() async throws {
        let text = try fixtures.file("libtext.so", bytes: Array("not a library\n".utf8))
        let empty = try fixtures.file("libempty.so", bytes: [])
        let directory = try fixtures.makeDirectory("libdirectory.so")
        let pie = try fixtures.file("libpie.so", bytes: Array(try Data(contentsOf: URL(fileURLWithPath: PluginFixtures.probe))), mode: 0o755)
        let executable = try await fixtures.compileC(
            "libexecutable", source: "int main(void) { return 0; }", flags: ["-no-pie", "-nostartfiles", "-e", "main"])
        let object = try await fixtures.compileC("libobject", source: "int troupe_plugin_abi(void) { return 0; }", flags: ["-c"])
        let noSymbols = try await fixtures.compileC("libnosymbols", source: "int unrelated(void) { return 1; }")
        let class32 = try patched("class32") { $0[4] = 1 }
        let bigEndian = try patched("bigendian") { $0[5] = 2 }
        let aarch64 = try patched("aarch64") {
            $0[18] = 183
            $0[19] = 0
        }
        let truncated = try [64, 1_024, 4_096, 10_240, 20_480].map { length in
            try patched("truncated\(length)") { $0.removeSubrange(length...) }
        }
        let reasons = try await load([text, empty, directory, pie, executable, object, noSymbols, class32, bigEndian, aarch64] + truncated)
        #expect(reasons[text] == "not an ELF file (no ELF magic number), not a shared library")
        #expect(reasons[empty] == "an empty file, not a shared library")
        #expect(reasons[directory] == "is a directory, not a shared library")
        #expect(reasons[pie] == "an executable (position-independent), not a shared library")
        #expect(reasons[executable] == "not a shared library: an ELF executable")
        #expect(reasons[object] == "not a shared library: an ELF relocatable object (a .o file)")
        #expect(reasons[noSymbols] == "missing ABI symbol troupe_plugin_abi: not a Troupe plugin, or built without PluginExport")
        #expect(reasons[class32] == "a 32-bit ELF file; this host loads 64-bit plugins")
        #expect(reasons[bigEndian] == "a big-endian ELF file; this host is little-endian")
        #expect(reasons[aarch64] == "built for another machine (AArch64); this host is x86-64")
        for file in truncated { #expect(reasons[file]?.hasPrefix("truncated: ") == true, "\(file): \(reasons[file] ?? "loaded")") }
        #expect(reasons.count == 10 + truncated.count)
    }

    @Test("bad ABI records, a missing dependency, and entry points that return the wrong thing")
    func badRecordsAndEntries() async throws {
        let badMagic = try await fixtures.compileC(
            "libbadmagic",
            source: """
                #include <string.h>
                long troupe_plugin_abi(void *out, long capacity) { memset(out, 0x11, 28); return 28; }
                """)
        let pointer = try await fixtures.compileC("libpointer", source: "long troupe_plugin_abi(void *out, long capacity) { return (long)out; }")
        let nullRecord = try await fixtures.compileC("libnullrecord", source: "long troupe_plugin_abi(void *out, long capacity) { return 0; }")
        let noEntry = try await fixtures.compileC("libnoentry", source: PluginFixtures.cPlugin(""))
        let dependency = try await fixtures.compileC("libtroupegone", source: "int troupe_gone(void) { return 1; }")
        let needy = try await fixtures.compileC(
            "libneedy", source: PluginFixtures.cPlugin("int troupe_gone(void); int use(void) { return troupe_gone(); }"),
            flags: ["-L\(fixtures.directory)", "-ltroupegone"])
        try FileManager.default.removeItem(atPath: dependency)
        let nilEntry = try fixtures.fixture("nilentry\(UUID().uuidString.prefix(6))", ["entryReturnsNothing": true])
        let wrongType = try fixtures.fixture("wrongtype\(UUID().uuidString.prefix(6))", ["entryReturnsWrongType": true])
        let reasons = try await load([badMagic, pointer, nullRecord, noEntry, needy, nilEntry, wrongType])
        #expect(reasons[badMagic] == "the ABI record is not a Troupe record (magic 0x11111111, 28 bytes)")
        #expect(reasons[pointer]?.hasPrefix("the ABI function troupe_plugin_abi returned ") == true)
        #expect(reasons[pointer]?.hasSuffix(", not the size of the record it wrote (0 to 256 bytes)") == true)
        #expect(reasons[nullRecord] == "the ABI record is not a Troupe record (magic 0x0, 0 bytes)")
        #expect(reasons[noEntry] == "missing entry symbol troupe_plugin_entry")
        #expect(
            reasons[needy]?.hasPrefix("a library it needs cannot be found (libtroupegone.so: cannot open shared object file") == true, "\(reasons[needy] ?? "")"
        )
        #expect(reasons[nilEntry] == "the entry point troupe_plugin_entry returned nothing")
        #expect(reasons[wrongType] == "the entry point returned a NotAFactory, not a PluginFactory")
    }

    @Test("writable files and directories, sticky ones and those above the plugin, foreign owners")
    func permissions() async throws {
        let s = UUID().uuidString.prefix(6)
        let writableFile = try fixtures.fixture("writable\(s)", ["name": "writable\(s)"])
        chmod(writableFile, 0o666)
        let open = try fixtures.makeDirectory("open", mode: 0o777)
        let inOpen = try copyFixture(into: open, stem: "inopen\(s)")
        let sticky = try fixtures.makeDirectory("sticky", mode: 0o1777)
        let inSticky = try copyFixture(into: sticky, stem: "insticky\(s)")
        let above = try fixtures.makeDirectory("above", mode: 0o777)
        let below = try fixtures.makeDirectory("above/below")
        let deep = try copyFixture(into: below, stem: "deep\(s)")
        // Sticky and owned by root (the tests' user in CI), above the plugin's own directory: accepted.
        let stickyAbove = try fixtures.makeDirectory("stickyabove", mode: 0o1777)
        let belowSticky = try fixtures.makeDirectory("stickyabove/below")
        let underSticky = try copyFixture(into: belowSticky, stem: "understicky\(s)")
        let foreignFile = try fixtures.fixture("foreign\(s)", ["name": "foreign\(s)"])
        let foreignDirectory = try fixtures.makeDirectory("foreign")
        let inForeign = try copyFixture(into: foreignDirectory, stem: "inforeign\(s)")
        let owned = chown(foreignFile, 65534, 65534) == 0 && chown(foreignDirectory, 65534, 65534) == 0
        let reasons = try await load([writableFile, inOpen, inSticky, deep, foreignFile, inForeign, underSticky])
        #expect(reasons[writableFile] == "refused: \(writableFile) is writable by others (mode 666)")
        #expect(reasons[inOpen] == "refused: \(open) is writable by others (mode 777)")
        #expect(reasons[inSticky] == "refused: \(sticky) is writable by others (mode 1777)")
        #expect(reasons[deep] == "refused: \(above) is writable by others (mode 777)")
        if geteuid() == 0 {
            #expect(reasons[underSticky] == nil, "a sticky root-owned directory above the plugin's own is accepted: \(reasons[underSticky] ?? "")")
        } else {
            #expect(reasons[underSticky] == "refused: \(stickyAbove) is writable by others (mode 1777)", "not owned by root, so not exempt")
        }
        if geteuid() == 0 && owned {
            #expect(reasons[foreignFile] == "refused: \(foreignFile) is owned by uid 65534, not by this user (uid 0) or root")
            #expect(reasons[inForeign] == "refused: \(foreignDirectory) is owned by uid 65534, not by this user (uid 0) or root")
        }
    }

    @Test("symbolic links out of and into writable directories, dangling and looping links, a FIFO")
    func linksAndSpecialFiles() async throws {
        let s = UUID().uuidString.prefix(6)
        let good = try fixtures.fixture("target\(s)", ["name": "target\(s)"])
        let open = try fixtures.makeDirectory("open", mode: 0o777)
        let linkInOpen = open + "/liblink\(s).so"
        try FileManager.default.createSymbolicLink(atPath: linkInOpen, withDestinationPath: good)
        let inOpen = try copyFixture(into: open, stem: "behind\(s)")
        let linkToOpen = fixtures.directory + "/libtoopen\(s).so"
        try FileManager.default.createSymbolicLink(atPath: linkToOpen, withDestinationPath: inOpen)
        let dangling = fixtures.directory + "/libdangling.so"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: fixtures.directory + "/nothing-here.so")
        let loopA = fixtures.directory + "/libloopa.so"
        let loopB = fixtures.directory + "/libloopb.so"
        try FileManager.default.createSymbolicLink(atPath: loopA, withDestinationPath: loopB)
        try FileManager.default.createSymbolicLink(atPath: loopB, withDestinationPath: loopA)
        let fifo = fixtures.directory + "/libfifo.so"
        #expect(mkfifo(fifo, 0o644) == 0)
        let reasons = try await load([linkInOpen, linkToOpen, dangling, loopA, fifo])
        #expect(reasons[linkInOpen] == "refused: \(open) is writable by others (mode 777)")
        #expect(reasons[linkToOpen] == "refused: \(open) is writable by others (mode 777) (reached through a symbolic link)")
        #expect(reasons[dangling]?.hasPrefix("a dangling symbolic link: \(fixtures.directory)/nothing-here.so") == true, "\(reasons[dangling] ?? "")")
        #expect(reasons[loopA] == "cannot open: too many levels of symbolic links (more than 40)")
        #expect(reasons[fifo] == "is not a regular file (a FIFO)")
    }

    @Test("plugin and component names outside the safe set, repeated components, bad versions and ranges")
    func names() async throws {
        let s = UUID().uuidString.prefix(6)
        let ansi = try fixtures.fixture("ansi\(s)", ["name": "evil\u{1B}[2K\rplugin ok\nFAKE"])
        let at = try fixtures.fixture("at\(s)", ["name": "at@\(s)"])
        let long = try fixtures.fixture("long\(s)", ["name": .string(String(repeating: "x", count: 65))])
        let dash = try fixtures.fixture("dash\(s)", ["name": "-dash\(s)"])
        let twice = try fixtures.fixture("twice\(s)", ["name": "twice\(s)", "executors": ["same", "same"], "interceptors": ["same"]])
        let badComponent = try fixtures.fixture("badcomponent\(s)", ["name": "badcomponent\(s)", "executors": ["has space"]])
        let badVersion = try fixtures.fixture("badversion\(s)", ["name": "badversion\(s)", "version": "1.x"])
        let base = try fixtures.fixture("base\(s)", ["name": "base\(s)"])
        let badRange = try fixtures.fixture("badrange\(s)", ["name": "badrange\(s)", "requires": [["name": "base\(s)", "versions": "^one"]]])
        let reasons = try await load([ansi, at, long, dash, twice, badComponent, badVersion, badRange, base])
        #expect(reasons[ansi] == #"the plugin name "evil\u{1b}[2K\u{d}plugin ok\u{a}FAKE" may hold only A-Z, a-z, 0-9, '.', '_' and '-'"#)
        #expect(reasons[at] == "the plugin name \"at@\(s)\" may hold only A-Z, a-z, 0-9, '.', '_' and '-'")
        #expect(reasons[long] == "the plugin name \"\(String(repeating: "x", count: 65))\" is longer than 64 characters")
        #expect(reasons[dash] == "the plugin name \"-dash\(s)\" must start with a letter or a digit")
        #expect(reasons[twice] == "lists the same component twice: executor same")
        #expect(reasons[badComponent] == "the component name \"has space\" may hold only A-Z, a-z, 0-9, '.', '_' and '-'")
        #expect(reasons[badVersion] == "version \"1.x\" is not a semantic version")
        #expect(reasons[badRange]?.hasPrefix("requires base\(s) with ") == true, "\(reasons[badRange] ?? "loaded")")
        #expect(reasons.values.allSatisfy { !$0.unicodeScalars.contains { $0.value < 0x20 } })
    }

    /// Copies the fixture plugin into `directory` as `lib<stem>.so` and describes it by its stem.
    private func copyFixture(into directory: String, stem: String) throws -> String {
        let path = "\(directory)/lib\(stem).so"
        try FileManager.default.copyItem(atPath: PluginFixtures.product("TroupeFixturePlugin"), toPath: path)
        chmod(path, 0o755)
        try fixtures.describe(stem, ["name": .string(stem)])
        return path
    }
}
