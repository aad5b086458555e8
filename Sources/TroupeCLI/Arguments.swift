/// A subcommand's words split into operands and options, rejecting options it does not take.
///
/// Accepts `--name value`, `--name=value`, `-h` for `--help`, and `--` to end the options.
struct Arguments: Sendable {
    /// The words that are not options, in order.
    private var operands: [String] = []
    /// The options' values by name, without dashes.
    private var values: [String: String] = [:]
    /// Whether `--help` or `-h` was given.
    private(set) var wantsHelp = false

    /// Parses `words`; `options` are the names (without dashes) that take a value.
    init(_ words: [String], options: Set<String>) throws(UsageError) {
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
            guard options.contains(name) else { throw UsageError(message: "unknown option --\(name)") }
            guard values[name] == nil else { throw UsageError(message: "--\(name) is given more than once") }
            if let equals = body.firstIndex(of: "=") {
                values[name] = String(body[body.index(after: equals)...])
            } else if let value = remaining.popFirst() {
                values[name] = value
            } else {
                throw UsageError(message: "--\(name) needs a value")
            }
        }
    }

    /// The value of option `name` (without dashes), when given.
    subscript(option name: String) -> String? { values[name] }

    /// The only operand, named `placeholder` in messages, such as the workflow file.
    func singleOperand(_ placeholder: String) throws(UsageError) -> String {
        guard let first = operands.first else { throw UsageError(message: "missing \(placeholder)") }
        guard operands.count == 1 else { throw UsageError(message: "unexpected argument \(operands[1])") }
        return first
    }
}
