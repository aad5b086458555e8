import Foundation
import Testing
import Troupe

@Suite("Plugin loading: every bad case gets a clear error and the others still load", .timeLimit(.minutes(2)))
struct PluginLoaderTests {
    let fixtures: PluginFixtures
    let registry = Registry()

    init() throws { fixtures = try PluginFixtures() }

    private func failure(loading files: [String], options: PluginLoadOptions = PluginLoadOptions()) -> String {
        registry.loadPlugins(files: files, options: options).map(\.description).joined(separator: "\n")
    }

    @Test("a missing file, a directory, a text file, a truncated copy and an executable are refused by name")
    func badFiles() throws {
        let text = try fixtures.file("libtext.so", bytes: Array(String(repeating: "This is a text file, not a shared library.\n", count: 10).utf8))
        let real = try Data(contentsOf: URL(fileURLWithPath: PluginFixtures.product("TroupeAuditLog")))
        let truncated = try fixtures.file("libtruncated.so", bytes: Array(real.prefix(40)))
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let good = try fixtures.fixture("good\(UUID().uuidString.prefix(6))", ["name": "good", "executors": ["good-kind"]])
        let missing = fixtures.directory + "/libmissing.so"
        let failures = registry.loadPlugins(files: [missing, fixtures.directory, text, truncated, executable, good])
        let reasons = Dictionary(uniqueKeysWithValues: failures.map { ($0.file, $0.reason) })
        #expect(reasons[missing]?.contains("No such file or directory") == true)
        #expect(reasons[fixtures.directory] == "is a directory, not a shared library")
        #expect(reasons[text] == "not an ELF file (no ELF magic number), not a shared library")
        #expect(reasons[truncated] == "truncated: 40 bytes, shorter than an ELF header")
        #expect(reasons[executable] == "an executable (position-independent), not a shared library")
        #expect(failures.count == 5)
        #expect(registry.plugins.map(\.name) == ["good"])
        #expect(registry.executorKinds.contains("good-kind"))
    }

    @Test("a library without the ABI symbol, or with it but no entry symbol")
    func missingSymbols() async throws {
        let apiLibrary = PluginFixtures.product("Troupe")
        let abiOnly = try await fixtures.compileC("libabionly", source: PluginFixtures.cPlugin(""))
        let noSymbols = try await fixtures.compileC("libnosymbols", source: "int troupe_unrelated(void) { return 1; }")
        let message = failure(loading: [apiLibrary, abiOnly, noSymbols])
        #expect(message.contains("libTroupe.so: the Troupe plugin API library itself, not a plugin"))
        #expect(message.contains("libnosymbols.so: missing ABI symbol troupe_plugin_abi"))
        #expect(message.contains("libabionly.so: missing entry symbol troupe_plugin_entry"))
    }

    @Test("an ABI mismatch names both sides, before any Swift type of the plugin is touched")
    func abiMismatch() throws {
        let major = try fixtures.fixture("major\(UUID().uuidString.prefix(6))", ["name": "old", "abiMajor": 7])
        let swift = try fixtures.fixture("swift\(UUID().uuidString.prefix(6))", ["name": "older", "swiftMinor": 1])
        let message = failure(loading: [major, swift])
        // The fixture takes the host's minor version; only what the sidecar says differs.
        let host = "\(PluginABI.major).\(PluginABI.minor)"
        #expect(message.contains("built for Troupe plugin ABI 7.\(PluginABI.minor) with Swift 6.3 (64-bit); this host has ABI \(host) with Swift 6.3 (64-bit)"))
        #expect(message.contains("built for Troupe plugin ABI \(host) with Swift 6.1 (64-bit); this host has ABI \(host) with Swift 6.3 (64-bit)"))
        #expect(registry.plugins.isEmpty)
    }

    @Test("an entry that returns nothing, and a factory whose setup throws")
    func entryAndConfigure() throws {
        let nothing = try fixtures.fixture("nothing\(UUID().uuidString.prefix(6))", ["entryReturnsNothing": true])
        let throwing = try fixtures.fixture("throws\(UUID().uuidString.prefix(6))", ["name": "thrower", "configureError": "no database"])
        let message = failure(loading: [nothing, throwing])
        #expect(message.contains("the entry point troupe_plugin_entry returned nothing"))
        #expect(message.contains("(thrower): configuring failed: FixtureConfigure: no database"))
        #expect(registry.plugins.isEmpty)
    }

    @Test("a duplicate plugin name, and two plugins providing one component unless a preference says which wins")
    func duplicates() throws {
        let suffix = UUID().uuidString.prefix(6)
        let first = try fixtures.fixture("first\(suffix)", ["name": "twin\(suffix)", "interceptors": ["stamp\(suffix)"]])
        let second = try fixtures.fixture("second\(suffix)", ["name": "twin\(suffix)"])
        let rival = try fixtures.fixture("rival\(suffix)", ["name": "rival\(suffix)", "interceptors": ["stamp\(suffix)"]])
        let message = failure(loading: [first, second, rival])
        #expect(message.contains("duplicate plugin name \"twin\(suffix)\" (already loaded from \(first))"))
        #expect(message.contains("interceptor \"stamp\(suffix)\" is already provided by plugin twin\(suffix) 1.0.0 (generation 1)"))

        let preferring = Registry()
        let failures = preferring.loadPlugins(files: [first, rival], options: PluginLoadOptions(preferred: ["stamp\(suffix)": "rival\(suffix)"]))
        #expect(failures.isEmpty)
        #expect(
            preferring.components.first { $0.component.name == "stamp\(suffix)" }?.source
                == .plugin(name: "rival\(suffix)", version: SemanticVersion(1, 0, 0), generation: 1))
    }

    @Test("dependencies load first; missing ones, versions out of range and cycles are refused")
    func dependencies() throws {
        let s = UUID().uuidString.prefix(6)
        let base = try fixtures.fixture("base\(s)", ["name": "base\(s)", "version": "1.4.0"])
        let user = try fixtures.fixture("user\(s)", ["name": "user\(s)", "requires": [["name": "base\(s)", "versions": "^1.2"]]])
        let picky = try fixtures.fixture("picky\(s)", ["name": "picky\(s)", "requires": [["name": "base\(s)", "versions": ">=2.0.0"]]])
        let lonely = try fixtures.fixture("lonely\(s)", ["name": "lonely\(s)", "requires": [["name": "ghost\(s)", "versions": "*"]]])
        let chicken = try fixtures.fixture("chicken\(s)", ["name": "chicken\(s)", "requires": [["name": "egg\(s)"]]])
        let egg = try fixtures.fixture("egg\(s)", ["name": "egg\(s)", "requires": [["name": "chicken\(s)"]]])
        let message = failure(loading: [user, picky, lonely, chicken, egg, base])
        #expect(registry.plugins.map(\.name) == ["base\(s)", "user\(s)"])
        #expect(message.contains("requires base\(s) >=2.0.0, but version 1.4.0 is loaded"))
        #expect(message.contains("requires ghost\(s) *, which is not loaded"))
        #expect(message.contains("dependency cycle: chicken\(s) → egg\(s) → chicken\(s)"))
    }

    @Test("files and directories writable by others, or owned by another user, are refused")
    func permissions() throws {
        let s = UUID().uuidString.prefix(6)
        let open = try fixtures.fixture("open\(s)", ["name": "open\(s)"])
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: open)
        #expect(failure(loading: [open]).contains("refused: \(open) is writable by others (mode 666)"))

        let shared = fixtures.directory + "/shared"
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o775])
        let inShared = shared + "/libinshared\(s).so"
        try FileManager.default.copyItem(atPath: PluginFixtures.product("TroupeFixturePlugin"), toPath: inShared)
        try fixtures.describe("inshared\(s)", ["name": "inshared\(s)"])
        let message = registry.loadPlugins(directories: [fixtures.directory + "/shared/../shared"]).map(\.description).joined()
        #expect(message.contains("is writable by its group (mode 775)"))

        if geteuid() == 0 {
            let foreign = try fixtures.fixture("foreign\(s)", ["name": "foreign\(s)"])
            #expect(chown(foreign, 65534, 65534) == 0)
            #expect(failure(loading: [foreign]).contains("is owned by uid 65534, not by this user (uid 0) or root"))
        }
        #expect(registry.plugins.isEmpty)
    }

    @Test("a pinned SHA-256 digest must match; required digests refuse unpinned files")
    func digests() throws {
        let s = UUID().uuidString.prefix(6)
        let pinned = try fixtures.fixture("pinned\(s)", ["name": "pinned\(s)"])
        let digest = SHA256.hash(try Data(contentsOf: URL(fileURLWithPath: pinned)))
        let wrong = String(repeating: "0", count: 64)
        #expect(failure(loading: [pinned], options: PluginLoadOptions(pinnedDigests: ["libpinned\(s).so": wrong])).contains("differs from the pinned \(wrong)"))
        let unpinned = try fixtures.fixture("unpinned\(s)", ["name": "unpinned\(s)"])
        #expect(failure(loading: [unpinned], options: PluginLoadOptions(requireDigests: true)).contains("no pinned SHA-256 digest"))
        #expect(failure(loading: [pinned], options: PluginLoadOptions(pinnedDigests: ["libpinned\(s).so": digest], requireDigests: true)).isEmpty)
        #expect(registry.plugins.map(\.name) == ["pinned\(s)"])
    }

    @Test("SHA-256 matches the FIPS 180-4 examples")
    func sha256() {
        #expect(SHA256.hash(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hash([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("the same file reached by two paths loads once")
    func sameFileOnce() throws {
        let s = UUID().uuidString.prefix(6)
        let path = try fixtures.fixture("once\(s)", ["name": "once\(s)"])
        let link = fixtures.directory + "/liblink\(s).so"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(failure(loading: [path]).isEmpty)
        #expect(failure(loading: [link, path]).isEmpty)
        #expect(registry.plugins.count == 1)
    }

    @Test("discovery scans lib*.so in directories, in order of precedence")
    func discovery() throws {
        let s = UUID().uuidString.prefix(6)
        try fixtures.fixture("found\(s)", ["name": "found\(s)"])
        _ = try fixtures.file("notaplugin.txt", bytes: [1, 2, 3])
        _ = try fixtures.file("other.so", bytes: [1, 2, 3])
        #expect(failure(loading: [], options: PluginLoadOptions()).isEmpty)
        #expect(registry.loadPlugins(directories: [fixtures.directory]).isEmpty)
        #expect(registry.plugins.map(\.name) == ["found\(s)"])
        let notDirectory = try fixtures.file("plain.txt", bytes: [1])
        #expect(registry.loadPlugins(directories: [notDirectory]).map(\.reason) == ["cannot read plugin directory: Not a directory"])
        let directories = PluginSearchPath.directories(host: ["/h"], commandLine: ["/c", "/h"], environment: ["TROUPE_PLUGIN_PATH": "/e1::/e2"])
        #expect(directories == ["/h", "/c", "/e1", "/e2"])
    }

    @Test("workflows may pin component versions with name@range")
    func versionRanges() throws {
        let s = UUID().uuidString.prefix(6)
        let path = try fixtures.fixture("ranged\(s)", ["name": "ranged\(s)", "version": "1.3.0", "executors": ["ranged\(s)"]])
        #expect(failure(loading: [path]).isEmpty)
        #expect(registry.problem(withExecutor: "ranged\(s)@^1.2") == nil)
        #expect(registry.problem(withExecutor: "ranged\(s)@~1.3.0") == nil)
        #expect(registry.problem(withExecutor: "ranged\(s)@^2")?.description == "executor \"ranged\(s)\" is version 1.3.0, which is not in ^2")
        #expect(try VersionRange(">=1.0.0 <2.0.0 || 3.x").contains(SemanticVersion(3, 4, 0)))
        #expect(try !VersionRange("^0.2").contains(SemanticVersion(0, 3, 0)))
        #expect(try !VersionRange("^1.0").contains(SemanticVersion(2, 0, 0, prerelease: ["beta"])))
        #expect(throws: VersionRangeError.self) { try VersionRange("^one") }
    }

    @Test("100 tasks loading and looking up plugins at once")
    func concurrentLoading() async throws {
        let s = UUID().uuidString.prefix(6)
        let paths = try (0..<4).map { try fixtures.fixture("busy\($0)\(s)", ["name": "busy\($0)\(s)", "executors": [.string("busy\($0)\(s)")]]) }
        let registry = self.registry
        let failures = await withTaskGroup(of: Int.self) { group in
            for task in 0..<100 {
                group.addTask {
                    let loaded = await registry.loadPlugins(files: [paths[task % 4], paths[(task + 1) % 4]]).count
                    _ = registry.problem(withExecutor: "busy\(task % 4)\(s)")
                    _ = registry.plugins
                    return loaded
                }
            }
            return await group.reduce(0, +)
        }
        #expect(failures == 0)
        #expect(Set(registry.plugins.map(\.name)) == Set((0..<4).map { "busy\($0)\(s)" }))
        #expect((0..<4).allSatisfy { registry.problem(withExecutor: "busy\($0)\(s)") == nil })
    }
}

@Suite("Plugins manifest", .timeLimit(.minutes(2)))
struct PluginManifestTests {
    @Test("reads pins, preferences, configuration and limits, and names bad fields")
    func manifest() throws {
        let digest = String(repeating: "ab", count: 32)
        let options = try PluginLoadOptions(
            manifest: """
                {"requireDigests": true, "pins": {"libA.so": "\(digest.uppercased())"}, "prefer": {"audit": "audit-log"},
                 "config": {"audit-log": {"path": "/tmp/x"}}, "maximumGenerations": 3, "checkPermissions": false}
                """)
        #expect(options.requireDigests)
        #expect(!options.checkPermissions)
        #expect(options.pinnedDigests == ["libA.so": digest])
        #expect(options.preferred == ["audit": "audit-log"])
        #expect(options.configurations["audit-log"] == ["path": "/tmp/x"])
        #expect(options.maximumGenerations == 3)
        let error = #expect(throws: WorkflowValidationError.self) {
            try PluginLoadOptions(manifest: #"{"pins": {"libB.so": "xyz"}, "maximumGenerations": 0, "colour": 1}"#)
        }
        #expect(error?.issues.map(\.path) == ["colour", "maximumGenerations", "pins.libB.so"])
    }
}
