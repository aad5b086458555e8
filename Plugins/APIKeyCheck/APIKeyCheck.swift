import TroupePluginAPI

/// Reads the API key from a header; short-circuits with a denial when it is missing or unknown,
/// and stamps the caller's name into `x-caller` when it is known.
struct APIKeyCheck: LegacyMiddleware {
    let callers: [String: String]
    let header: String

    func processRequest(_ request: inout LegacyRequest) throws -> LegacyResponse? {
        guard let key = request.metadata[header] else {
            return LegacyResponse(output: ["denied": true, "reason": .string("missing \(header)")], metadata: ["status": "401"])
        }
        guard let caller = callers[key] else {
            return LegacyResponse(output: ["denied": true, "reason": .string("unknown \(header)")], metadata: ["status": "403"])
        }
        request.metadata["x-caller"] = caller
        return nil
    }
}
