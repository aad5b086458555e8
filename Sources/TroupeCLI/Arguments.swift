/// A subcommand's words split into operands and options, rejecting options it does not take.
///
/// Accepts `--name value`, `--name=value`, `-h` for `--help`, and `--` to end the options.
struct Arguments: Sendable {
    /// The words that are not options, in order.
    private var operands: [String] = []
    /// The options' values by name, without dashes, in the order given.
    private var values: [String: [String]] = [:]
    /// The flags given, without dashes.
    private var flags: Set<String> = []
    /// Whether `--help` or `-h` was given.
    private(set) var wantsHelp = false

    /// Parses `words`; `options` are the names (without dashes) that take a value, `repeatable` those
    /// of them that may be given more than once, and `flags` the names that take none.
    init(_ words: [String], options: Set<String>, repeatable: Set<String> = [], flags: Set<String> = []) throws(UsageError) {
        var remaining = words[...]
        while let word = remaining.popFirst() {
            if word == "--" {
                operands += remaining
                break
            }
            if word == "-h" || word == "--help" {
                wantsHelp = true
                continue
            }
            guard word.hasPrefix("-"), word != "-" else {
                operands.append(word)
                continue
            }
            guard word.hasPrefix("--") else { throw UsageError(message: "unknown option \(word)") }
            let body = word.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            if flags.contains(name) {
                guard !body.contains("=") else { throw UsageError(message: "--\(name) takes no value") }
                self.flags.insert(name)
                continue
            }
            guard options.contains(name) else { throw UsageError(message: "unknown option --\(name)") }
            guard values[name] == nil || repeatable.contains(name) else { throw UsageError(message: "--\(name) is given more than once") }
            let value: String
            if let equals = body.firstIndex(of: "=") {
                value = String(body[body.index(after: equals)...])
            } else if let next = remaining.popFirst() {
                value = next
            } else {
                throw UsageError(message: "--\(name) needs a value")
            }
            // An empty value is almost always a shell variable that was not set; ignoring it would hide that.
            guard !value.isEmpty else { throw UsageError(message: "--\(name) needs a value, not an empty one") }
            values[name, default: []].append(value)
        }
    }

    /// The value of option `name` (without dashes), when given.
    subscript(option name: String) -> String? { values[name]?.last }

    /// Every value of a repeatable option, in the order given.
    subscript(all name: String) -> [String] { values[name] ?? [] }

    /// Whether flag `name` (without dashes) was given.
    func has(_ name: String) -> Bool { flags.contains(name) }

    /// The only operand, named `placeholder` in messages, such as the workflow file.
    func singleOperand(_ placeholder: String) throws(UsageError) -> String {
        guard let first = operands.first else { throw UsageError(message: "missing \(placeholder)") }
        guard operands.count == 1 else { throw UsageError(message: "unexpected argument \(operands[1])") }
        return first
    }

    /// Exactly one operand for each of `placeholders`, named by them in messages.
    func operands(_ placeholders: String...) throws(UsageError) -> [String] {
        if operands.count < placeholders.count { throw UsageError(message: "missing \(placeholders[operands.count])") }
        if operands.count > placeholders.count { throw UsageError(message: "unexpected argument \(operands[placeholders.count])") }
        return operands
    }

    /// Refuses any operand, for commands that take none.
    func noOperands() throws(UsageError) {
        if let first = operands.first { throw UsageError(message: "unexpected argument \(first)") }
    }
}
