import Foundation
@_spi(Development) import Troupe

/// `troupe resume RUN | --all`: resumes recorded runs in this process and prints their results as `troupe run` does.
struct ResumeCommand: Command {
    /// Selects the command.
    static let name = "resume"
    /// Shown in the usage.
    static let synopsis = "resume RUN | --all [--accept-versions] [--from-failed] [--plugin PATH…]"
    /// Shown in the usage and the help.
    static let summary = "Resume a crashed, paused or blocked run (or every crashed one) and print its result."
    /// Shown by `--help`.
    static let details = """
        OPTIONS:
          --all              every run found running whose process is gone (paused runs stay paused)
          --accept-versions  run on the current components although they differ from the recorded ones
          --from-failed      re-run a failed, cancelled or timed-out run from its unfinished nodes
          --max-recoveries N with --all: fail a run resumed more than N times (default 5)
        \(StoreSelection.help)
        \(PluginSelection.help)
          -h, --help         show this help

        Completed nodes keep their recorded outputs and do not run again; the others run with the
        next attempt number. Exits 0 when every resumed run completed, 1 otherwise, 2 when the
        store or the command line is unusable. SIGINT (Ctrl-C) or SIGTERM cancels the runs, as for
        `troupe run`: the partial results are printed and it exits 130 or 143; a second one exits at once.
        """
    /// The options that take a value.
    static let options: Set<String> = StoreSelection.options.union(PluginSelection.options).union(["max-recoveries"])
    /// `--plugin` and `--plugins` may repeat.
    static let repeatableOptions: Set<String> = ["plugin", "plugins"]
    /// Flags it takes.
    static let flags: Set<String> = ["all", "accept-versions", "from-failed"]

    let store: StoreSelection
    let plugins: PluginSelection
    /// The run, or `nil` for `--all`.
    let id: RunID?
    let acceptsVersions: Bool
    let fromFailed: Bool
    let maximumRecoveries: Int

    /// Checks the options.
    init(_ arguments: Arguments) throws(UsageError) {
        store = try StoreSelection(arguments)
        plugins = try PluginSelection(arguments)
        if arguments.has("all") {
            try arguments.noOperands()
            id = nil
        } else {
            id = try StoreSelection.runID(arguments)
        }
        acceptsVersions = arguments.has("accept-versions")
        fromFailed = arguments.has("from-failed")
        if let text = arguments[option: "max-recoveries"] {
            guard let count = Int(text), count >= 0 else { throw UsageError(message: "--max-recoveries takes a number, not \"\(text)\"") }
            maximumRecoveries = count
        } else {
            maximumRecoveries = 5
        }
    }

    /// Resumes and waits for the results, or until Ctrl-C cancels them.
    func run() async -> ExitStatus {
        await store.using(for: Self.name) { store in
            let runtime = WorkflowRuntime(store: store)
            guard plugins.load(into: runtime.registry) != nil else { return .invalidInput }
            let interruptible: InterruptibleRuns
            do throws(LinuxSystemCalls.Failure) {
                // Installed before any run resumes, so that no signal finds the default action.
                interruptible = try InterruptibleRuns(single: id != nil)
            } catch {
                Console.error("troupe resume: cannot handle signals: \(error.message)")
                return .failure
            }
            let handles: [WorkflowHandle]
            if let id {
                handles = [try await runtime.resume(id, acceptingVersions: acceptsVersions, fromFailed: fromFailed)]
            } else {
                handles = try await runtime.recover(maximumRecoveryAttempts: maximumRecoveries)
                Console.error("resuming \(handles.count) run\(handles.count == 1 ? "" : "s")")
            }
            for handle in handles { interruptible.watch(handle, definition: await Self.definition(of: handle, in: store)) }
            var results: [JSONValue] = []
            var completed = true
            for handle in handles {
                if let runID = handle.runID { Console.error("run \(runID) resumed") }
                let reporter = ProgressReporter(nodeCount: 0, live: false)
                let progress = Task { await reporter.report(handle.events) }
                guard let result = try? await handle.result else { return .failure }
                await progress.value
                completed = completed && result.status == .completed
                results.append(result.commandLineJSON)
            }
            interruptible.finish(printing: id == nil ? .array(results) : results.first ?? .null)
            if let stopped = interruptible.stoppedStatus { return stopped }
            return completed ? .success : .failure
        }
    }

    /// The definition `handle`'s run ran, for its partial result after a second signal; one without
    /// nodes when the store cannot say (the result then names only the nodes its events did).
    private static func definition(of handle: WorkflowHandle, in store: any RunStore) async -> WorkflowDefinition {
        guard let id = handle.runID, let run = try? await store.run(id) else { return WorkflowDefinition(id: "unknown", nodes: []) }
        guard let record = try? await store.definition(run.definitionHash), let definition = try? WorkflowDefinition(json: record.json) else {
            return WorkflowDefinition(id: run.workflowID, nodes: [])
        }
        return definition
    }
}
