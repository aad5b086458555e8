import Troupe

/// The `--input` option of `run` and `stress`: JSON text, or `@file` to read it from a file.
///
/// It is kept raw when the command line is read: a bad input is invalid input (exit 2), reported
/// with the file's other problems, not a usage error.
struct InputOption {
    /// How the option reads in a command's help.
    static let help = """
          --input JSON      the workflow input, as JSON text (default: null)
          --input @file     the workflow input, read from a JSON file
        """

    /// The option's value as given, `nil` when absent.
    let text: String?

    /// Takes `--input` from the command line.
    init(_ arguments: Arguments) { text = arguments[option: "input"] }

    /// The input: `null` when absent, else the JSON text or the file after `@`; `nil` after reporting why not.
    func value(maximumSize: Int) -> JSONValue? {
        guard let text else { return JSONValue.null }
        guard text.hasPrefix("@") else { return Self.parse(Array(text.utf8), from: "--input") }
        let path = String(text.dropFirst())
        let bytes: [UInt8]
        do {
            bytes = try CommandLineFile.contents(of: path, maximumSize: maximumSize)
        } catch {
            Console.error("--input: cannot read \(path): \(error.reason)")
            return nil
        }
        // The parser would take a stray byte for an odd character; say what is really wrong.
        guard String(validating: bytes, as: UTF8.self) != nil else {
            Console.error("--input: \(path) is not UTF-8 text")
            return nil
        }
        return Self.parse(bytes, from: path)
    }

    private static func parse(_ bytes: [UInt8], from source: String) -> JSONValue? {
        do {
            return try JSONParser.parse(bytes)
        } catch {
            Console.error("\(source): malformed JSON at \(error)")
            return nil
        }
    }
}
