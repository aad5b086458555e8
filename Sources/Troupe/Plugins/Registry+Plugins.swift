import Foundation

extension Registry {
    /// What the registry holds about one plugin: its generations, newest last.
    struct PluginState: Sendable {
        var file: String
        var images: [PluginImage]
        var generations: [PluginGeneration]
        var statuses: [PluginStatus]
        var options: PluginLoadOptions
    }

    // MARK: Loading

    /// Loads plugin files and every `lib*.so` in `directories` (in that order of precedence), in
    /// dependency order, and returns what failed; the others load regardless. A file already
    /// loaded (same device and inode) is not loaded again, and the plugin API library that sits
    /// beside plugins in a build folder is skipped.
    ///
    /// Each file is opened once and checked through its descriptor (``PluginLoadOptions``), then
    /// copied into a private directory, vetted there when ``PluginLoadOptions/vetting`` says so,
    /// and mapped from the copy: the user's file can be rewritten while the plugin runs.
    @discardableResult
    public func loadPlugins(files: [String] = [], directories: [String] = [], options: PluginLoadOptions = PluginLoadOptions()) -> [PluginFailure] {
        loading.withLock { _ in
            var failures: [PluginFailure] = []
            var candidates: [String] = []
            for path in files {
                do throws(PluginFailure) { candidates.append(try Self.absolute(path)) } catch { failures.append(error) }
            }
            for directory in directories {
                do throws(PluginFailure) {
                    let root = try Self.absolute(directory)
                    let names = try Self.entries(of: root).filter { $0.hasPrefix("lib") && $0.hasSuffix(".so") && $0 != ELFCheck.pluginAPIFileName }
                    candidates += names.sorted().map { (root == "/" ? "" : root) + "/" + $0 }
                } catch {
                    failures.append(error)
                }
            }
            var opened: [PluginImage] = []
            var seenFiles = contents.withLock { Set($0.plugins.values.flatMap { $0.images.map(\.identity) }) }
            for candidate in candidates {
                do throws(PluginFailure) {
                    let file = try PluginFile(path: candidate, options: options)
                    guard seenFiles.insert(file.identity).inserted else { continue }
                    opened.append(try Self.map(file, options: options))
                } catch {
                    failures.append(error)
                }
            }
            opened = rejectDuplicateNames(opened, failures: &failures)
            for image in dependencyOrder(opened, failures: &failures) {
                do throws(PluginFailure) {
                    try install(image, options: options, replacing: nil)
                } catch {
                    failures.append(error)
                }
            }
            contents.withLock { $0.failures += failures }
            lifecycle.failed(failures)
            return failures
        }
    }

    /// Copies a checked file into the private directory, vets the copy when asked, and maps it.
    private static func map(_ file: PluginFile, options: PluginLoadOptions) throws(PluginFailure) -> PluginImage {
        let copy = try PluginCopyDirectory.shared.copy(file.bytes, named: PluginFile.fileName(file.realPath), for: file.path)
        if case .probe(let executable, let arguments, let timeLimit) = options.vetting {
            try PluginProbe.vet(
                copy: copy, file: file.path, configurations: options.configurations, executable: executable, arguments: arguments, timeLimit: timeLimit)
        }
        return try PluginImage(copy: copy, file: file.path, identity: file.identity)
    }

    /// The names in a plugin directory.
    private static func entries(of directory: String) throws(PluginFailure) -> [String] {
        guard let stream = opendir(directory) else {
            throw PluginFailure(file: directory, reason: "cannot read plugin directory: \(String(cString: strerror(errno)))")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    private func rejectDuplicateNames(_ opened: [PluginImage], failures: inout [PluginFailure]) -> [PluginImage] {
        var firstFile = contents.withLock { $0.plugins.mapValues(\.file) }
        return opened.filter { image in
            let name = image.factory.name
            if let existing = firstFile[name] {
                failures.append(PluginFailure(file: image.file, plugin: name, reason: "duplicate plugin name \"\(name)\" (already loaded from \(existing))"))
                return false
            }
            firstFile[name] = image.file
            return true
        }
    }

    /// Orders plugins so that each comes after what it requires, dropping those whose requirements
    /// are missing, out of range, in a cycle, or failed themselves.
    private func dependencyOrder(_ opened: [PluginImage], failures: inout [PluginFailure]) -> [PluginImage] {
        let installed = contents.withLock { $0.plugins.mapValues { $0.images.last!.version } }
        var pending = Dictionary(uniqueKeysWithValues: opened.map { ($0.factory.name, $0) })
        let names = opened.map(\.factory.name)
        var changed = true
        while changed {
            changed = false
            for name in names {
                guard let image = pending[name] else { continue }
                for requirement in image.factory.requires {
                    let problem: String?
                    let available = installed[requirement.name] ?? pending[requirement.name]?.version
                    if let version = available {
                        do {
                            let range = try VersionRange(requirement.versions)
                            problem = range.contains(version) ? nil : "requires \(requirement.name) \(requirement.versions), but version \(version) is loaded"
                        } catch {
                            problem = "requires \(requirement.name) with \(error)"
                        }
                    } else if names.contains(requirement.name) {
                        problem = "requires \(requirement.name), which failed to load"
                    } else {
                        problem = "requires \(requirement.name) \(requirement.versions), which is not loaded"
                    }
                    if let problem {
                        failures.append(PluginFailure(file: image.file, plugin: name, reason: problem))
                        pending[name] = nil
                        changed = true
                        break
                    }
                }
            }
        }
        let order = names.filter { pending[$0] != nil }
        let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let successors = order.map { name in
            order.filter { other in pending[other]!.factory.requires.contains { $0.name == name } }.map { index[$0]! }
        }
        let cycles = GraphSearch.cycles(successors)
        for cycle in cycles {
            let text = (cycle + [cycle[0]]).map { order[$0] }.joined(separator: " → ")
            for member in cycle {
                let image = pending[order[member]]!
                failures.append(PluginFailure(file: image.file, plugin: order[member], reason: "dependency cycle: \(text)"))
                pending[order[member]] = nil
            }
        }
        return GraphSearch.topologicalOrder(successors).map { order[$0] }.compactMap { pending[$0] }
    }

    // MARK: Installing

    /// Configures a plugin and puts its components in the registry, all or nothing.
    private func install(_ image: PluginImage, options: PluginLoadOptions, replacing previous: PluginState?) throws(PluginFailure) {
        let factory = image.factory
        let name = factory.name
        func fail(_ reason: String) -> PluginFailure { PluginFailure(file: image.file, plugin: name, reason: reason) }
        let number = (previous?.generations.count ?? 0) + 1
        let generation = PluginGeneration(pluginName: name, number: number, version: image.version, registry: self, copy: image.copy)
        let source = ComponentSource.plugin(name: name, version: image.version, generation: number)
        lifecycle.record(name, image.version, number, .loaded)
        let config = options.configurations[name] ?? .null
        var executors: [String: ExecutorEntry] = [:]
        var interceptors: [String: InterceptorEntry] = [:]
        do {
            try factory.configure(with: config)
            for component in factory.provides {
                switch component {
                case .executor(let kind):
                    executors[kind] = ExecutorEntry(
                        executor: try factory.makeExecutor(kind: kind, config: config), source: source, version: image.version, generation: generation)
                case .interceptor(let interceptor):
                    interceptors[interceptor] = InterceptorEntry(
                        factory: { try factory.makeInterceptor(named: interceptor, config: $0 == .null ? config : $0) }, source: source, version: image.version,
                        generation: generation, isLegacy: false)
                case .legacyMiddleware(let middleware):
                    interceptors[middleware] = InterceptorEntry(
                        factory: legacyInterceptorFactory(factory, named: middleware, loadConfig: config), source: source, version: image.version,
                        generation: generation, isLegacy: true)
                @unknown default:
                    throw ExecutionError(type: "UnsupportedComponent", message: "\(component) is not supported by this host")
                }
            }
        } catch {
            throw fail("configuring failed: \(error)")
        }
        lifecycle.record(name, image.version, number, .configured)
        try contents.withLock { (contents) throws(PluginFailure) in
            var conflicts: [String] = []
            for (kind, _) in executors {
                if let existing = contents.executors[kind], !Self.yields(existing.source, to: name, component: kind, options: options) {
                    if Self.keeps(existing.source, against: name, component: kind, options: options) {
                        executors[kind] = nil
                    } else {
                        conflicts.append("executor \"\(kind)\" is already provided by \(existing.source)")
                    }
                }
            }
            for (interceptor, _) in interceptors {
                if let existing = contents.interceptors[interceptor], !Self.yields(existing.source, to: name, component: interceptor, options: options) {
                    if Self.keeps(existing.source, against: name, component: interceptor, options: options) {
                        interceptors[interceptor] = nil
                    } else {
                        conflicts.append("interceptor \"\(interceptor)\" is already provided by \(existing.source)")
                    }
                }
            }
            if !conflicts.isEmpty {
                throw fail(conflicts.sorted().joined(separator: "; ") + " (say which wins with PluginLoadOptions.preferred)")
            }
            if previous != nil {
                contents.executors = contents.executors.filter { $0.value.generation?.pluginName != name || executors[$0.key] != nil }
                contents.interceptors = contents.interceptors.filter { $0.value.generation?.pluginName != name || interceptors[$0.key] != nil }
            }
            contents.executors.merge(executors) { _, new in new }
            contents.interceptors.merge(interceptors) { _, new in new }
            var state = previous ?? PluginState(file: image.file, images: [], generations: [], statuses: [], options: options)
            if previous == nil { contents.pluginOrder.append(name) }
            state.images.append(image)
            state.generations.append(generation)
            state.statuses.append(.ready)
            if state.statuses.count > 1 { state.statuses[state.statuses.count - 2] = .draining }
            contents.plugins[name] = state
        }
        lifecycle.record(name, image.version, number, .ready)
        if let old = previous?.generations.last {
            lifecycle.record(name, old.version, old.number, .draining)
            old.drain()
        }
    }

    /// Whether an existing component gives way to plugin `name`: it is that plugin's own older generation, or the options prefer `name`.
    private static func yields(_ existing: ComponentSource, to name: String, component: String, options: PluginLoadOptions) -> Bool {
        if case .plugin(let owner, _, _) = existing, owner == name { return true }
        return options.preferred[component] == name
    }

    /// Whether an existing component stays and the newcomer's is dropped, because the options prefer the existing plugin.
    private static func keeps(_ existing: ComponentSource, against name: String, component: String, options: PluginLoadOptions) -> Bool {
        guard case .plugin(let owner, _, _) = existing else { return false }
        return options.preferred[component] == owner
    }

    /// `path` made absolute against the working directory, which must be known: guessing `/` would load another file.
    private static func absolute(_ path: String) throws(PluginFailure) -> String {
        if path.hasPrefix("/") { return path }
        guard !path.isEmpty else { throw PluginFailure(file: path, reason: "an empty plugin path") }
        guard let directory = getcwd(nil, 0) else {
            throw PluginFailure(
                file: path, reason: "cannot make the relative path absolute: the working directory cannot be determined (\(String(cString: strerror(errno))))")
        }
        defer { free(directory) }
        let base = String(cString: directory)
        return (base == "/" ? "" : base) + "/" + path
    }

    // MARK: Reloading

    /// Loads a new generation of a plugin from its file, under a new name (the dynamic linker would
    /// return the old image for the old path), checks it like any other, and swaps it in: workflows
    /// prepared from now on use it, instances already running finish with the old one, which
    /// retires when the last of them ends. A failed reload leaves the old generation serving.
    public func reload(plugin name: String, from path: String? = nil) throws(PluginFailure) {
        try loading.withLock { (_) throws(PluginFailure) in
            guard let state = contents.withLock({ $0.plugins[name] }) else {
                throw PluginFailure(file: path ?? "?", plugin: name, reason: "no plugin named \(name) is loaded")
            }
            let source = try path.map { (path) throws(PluginFailure) in try Self.absolute(path) } ?? state.file
            func fail(_ reason: String) -> PluginFailure { PluginFailure(file: source, plugin: name, reason: reason) }
            guard state.generations.count < state.options.maximumGenerations else {
                throw fail("already \(state.generations.count) generations loaded, the most allowed: old images cannot be unmapped, so restart the host")
            }
            let image = try Self.map(PluginFile(path: source, options: state.options), options: state.options)
            guard image.factory.name == name else {
                throw fail("the new file is plugin \"\(image.factory.name)\", not \"\(name)\"")
            }
            let installed = contents.withLock { $0.plugins.mapValues { $0.images.last!.version } }
            for requirement in image.factory.requires {
                guard let version = installed[requirement.name], (try? VersionRange(requirement.versions))?.contains(version) == true else {
                    throw fail("requires \(requirement.name) \(requirement.versions), which is not loaded in a fitting version")
                }
            }
            var updated = state
            updated.file = source
            try install(image, options: state.options, replacing: updated)
        }
    }

    func generationRetired(_ generation: PluginGeneration) {
        contents.withLock { contents in
            guard var state = contents.plugins[generation.pluginName], generation.number <= state.statuses.count else { return }
            state.statuses[generation.number - 1] = .retired
            contents.plugins[generation.pluginName] = state
        }
        lifecycle.record(generation.pluginName, generation.version, generation.number, .retired)
    }

    // MARK: Listing

    /// Every loaded plugin's current generation, in load order.
    public var plugins: [PluginRecord] {
        let states = contents.withLock { contents in contents.pluginOrder.compactMap { name in contents.plugins[name].map { (name, $0) } } }
        return states.map { name, state in
            let image = state.images.last!
            var older: [Int: PluginStatus] = [:]
            for (offset, status) in state.statuses.dropLast().enumerated() { older[offset + 1] = status }
            return PluginRecord(
                name: name, version: image.version, summary: image.factory.summary, provides: image.factory.provides,
                requires: image.factory.requires, file: state.file, abi: image.abi, generation: state.generations.count,
                status: state.statuses.last!, healthProblem: image.factory.healthProblem(), olderGenerations: older)
        }
    }

    /// Every plugin file that failed to load or reload, oldest first.
    public var pluginFailures: [PluginFailure] { contents.withLock { $0.failures } }

    /// Every plugin lifecycle step so far, then live ones.
    public func pluginEvents() -> AsyncStream<PluginLifecycleEvent> { lifecycle.subscribe() }
}
