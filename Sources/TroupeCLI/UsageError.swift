/// A command line the tool cannot make sense of; reported with the usage text and exit status 2.
struct UsageError: Error, Sendable {
    /// What was wrong, for people.
    let message: String
}
