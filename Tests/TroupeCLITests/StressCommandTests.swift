import Foundation
import Testing
import Troupe

/// `troupe stress` run as a process: the report on stderr and as JSON, replays by seed, bad input.
@Suite(.timeLimit(.minutes(3)))
struct StressCommandTests {
    /// Holds the fixtures and captured output.
    let scratch: Scratch

    /// Gives each test a fresh directory.
    init() throws { scratch = try Scratch() }

    /// The example workflow with the default faults (cancels, pauses, deadline hits): every invariant
    /// holds, the JSON report has the documented fields, the table is on stderr.
    @Test func exampleReport() async throws {
        let outcome = try await Invocation.run(
            ["stress", "Examples/stress.json", "--instances", "200", "--concurrency", "16", "--seed", "3", "--json"],
            scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let report = try #require(outcome.json, "\(outcome.standardOutput)")
        #expect(report["instances"] == 200)
        #expect((report["instancesPerSecond"]?.doubleValue ?? 0) > 0)
        for key in ["p50", "p90", "p99", "max"] { #expect(report["latency"]?[key]?.doubleValue != nil, "\(key)") }
        #expect(report["latency"]?["count"] == 200)
        #expect(report["nodeLatency"]?["shell"]?["p99"]?.doubleValue != nil)
        let counts = ["completed", "failed", "cancelled", "timedOut"].compactMap { report["statusCounts"]?[$0]?.integerValue }
        #expect(counts.count == 4 && counts.reduce(0, +) == 200)
        #expect(report["invariantViolations"]?["count"] == 0)
        #expect(report["invariantViolations"]?["first"] == [])
        #expect((report["retries"]?.integerValue ?? 0) > 0)
        #expect(report["seed"] == "3")
        #expect(report["memory"]?["leakCheckPassed"] == true)
        #expect(outcome.standardError.contains("all held"), "\(outcome.standardError)")
        #expect(outcome.standardError.contains("node workflow"))
        // Not a terminal: no status line.
        #expect(!outcome.standardError.contains("\u{1B}[K"))
    }

    /// Without driver faults, the same seed gives the same statuses and retries; the chaos seed is the driver's.
    @Test func replaysBySeed() async throws {
        let file = try scratch.write(
            "flaky.json",
            """
            {"id": "flaky", "version": "1.0.0", "nodes": [
              {"id": "a", "kind": "sleep", "config": {"seconds": 0}, "interceptors": [
                {"name": "retry", "config": {"maximumAttempts": 2, "initialInterval": 0.0001}},
                {"name": "chaos", "config": {"failureRate": 0.4}}]}]}
            """)
        func run(_ seed: String) async throws -> (JSONValue?, JSONValue?) {
            let outcome = try await Invocation.run(
                // No driver faults: deadline hits are timed on the real clock, so they do not replay.
                ["stress", file, "--instances", "300", "--seed", seed, "--cancel", "0", "--pause", "0", "--deadline", "0", "--json"],
                scratch: scratch)
            #expect(outcome.status == 0, "\(outcome.standardError)")
            return (outcome.json?["statusCounts"], outcome.json?["retries"])
        }
        let first = try await run("42")
        let again = try await run("42")
        let other = try await run("43")
        #expect(first.0 == again.0 && first.1 == again.1)
        #expect(first.0?["failed"] != 0)
        #expect(first.1 != other.1 || first.0 != other.0)
    }

    /// `--duration` keeps instances running for that long instead of counting them.
    @Test func forDuration() async throws {
        let outcome = try await Invocation.run(
            ["stress", "Examples/stress.json", "--duration", "0.3", "--concurrency", "8", "--json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect((outcome.json?["instances"]?.integerValue ?? 0) >= 8)
    }

    /// Bad numbers are usage errors, a bad workflow or input is invalid input: exit status 2 each time, nothing runs.
    @Test func badInput() async throws {
        for arguments in [
            ["--instances", "0"], ["--concurrency", "x"], ["--seed", "-1"], ["--cancel", "1.5"], ["--duration", "0"],
            ["--cancel", "0.6", "--pause", "0.6"], ["--input", "{"], ["--input", "@no-such-input.json"], ["--reload-plugins", "0"],
            ["--reload-plugins", "soon"],
        ] {
            let outcome = try await Invocation.run(["stress", "Examples/stress.json"] + arguments, scratch: scratch)
            #expect(outcome.status == 2, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardOutput.isEmpty)
        }
        let file = try scratch.write(
            "bad-chaos.json",
            #"{"id": "b", "version": "1.0.0", "nodes": [{"id": "a", "kind": "sleep", "config": {"seconds": 0}, "interceptors": [{"name": "chaos", "config": {"failureRate": 2, "latency": {"uniform": [3, 1]}}}]}]}"#
        )
        let outcome = try await Invocation.run(["stress", file], scratch: scratch)
        #expect(outcome.status == 2)
        // Each problem at its own place under the interceptor's.
        #expect(
            outcome.standardError.contains("nodes[0].interceptors[0].config.failureRate: interceptor \"chaos\": must be a number from 0 to 1"),
            "\(outcome.standardError)")
        #expect(outcome.standardError.contains("nodes[0].interceptors[0].config.latency.uniform: interceptor \"chaos\": low must not be above high"))
    }

    /// `--input @file` gives every instance the file's JSON: a node that validates its input completes
    /// with the file's input and fails with another.
    @Test func inputFromFile() async throws {
        let workflow = try scratch.write(
            "checked.json",
            #"{"id": "checked", "version": "1.0.0", "nodes": [{"id": "a", "kind": "sleep", "config": {"seconds": 0}, "interceptors": [{"name": "validate", "config": {"input": {"type": "object", "required": ["order"]}}}]}]}"#
        )
        let input = try scratch.write("input.json", #"{"order": 7}"#)
        let quiet = ["--instances", "20", "--cancel", "0", "--pause", "0", "--deadline", "0", "--json"]
        let good = try await Invocation.run(["stress", workflow, "--input", "@" + input] + quiet, scratch: scratch)
        #expect(good.status == 0, "\(good.standardError)")
        #expect(good.json?["statusCounts"]?["completed"] == 20, "\(good.standardOutput)")
        let other = try await Invocation.run(["stress", workflow, "--input", #"{"item": 7}"#] + quiet, scratch: scratch)
        #expect(other.status == 0, "failures are not invariant violations: \(other.standardError)")
        #expect(other.json?["statusCounts"]?["failed"] == 20, "\(other.standardOutput)")
    }

    /// `--store PATH` records every instance as a durable run and checks each against its result;
    /// without it nothing is recorded, not even in the per-user store.
    @Test func recordsToAStoreOnlyWhenAsked() async throws {
        let store = scratch.directory.appendingPathComponent("stress.db").path
        let outcome = try await Invocation.run(
            ["stress", "Examples/stress.json", "--instances", "60", "--concurrency", "8", "--store", store, "--json"], scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.json?["invariantViolations"]?["count"] == 0)
        let listed = try await Invocation.run(["runs", "--json", "--limit", "1000", "--store", store], scratch: scratch)
        // Each instance's child workflow, when it ran, is a run of its own naming its parent.
        let runs = listed.json?.arrayValue ?? []
        let parents = Set(runs.filter { $0["parent"] == nil }.compactMap { $0["id"]?.stringValue })
        #expect(parents.count == 60, "\(listed.standardOutput)")
        let childParents = runs.compactMap { $0["parent"]?.stringValue }
        #expect(childParents.allSatisfy { parents.contains($0) })
        let unrecorded = try await Invocation.run(["stress", "Examples/stress.json", "--instances", "5"], scratch: scratch)
        #expect(unrecorded.status == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.directory.appendingPathComponent("data").path))
    }

    /// The tool's usage lists the command and its help explains the exit statuses.
    @Test func help() async throws {
        let usage = try await Invocation.run(["--help"], scratch: scratch)
        #expect(usage.standardOutput.contains("stress FILE [--instances N]"))
        let help = try await Invocation.run(["stress", "--help"], scratch: scratch)
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("Exits 0 when every invariant held, 1 when one did not"))
    }
}
