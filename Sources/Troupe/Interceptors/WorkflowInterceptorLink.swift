/// One link of an instance's workflow interceptor chain.
final class WorkflowInterceptorLink: WorkflowHandler {
    let interceptor: any WorkflowInterceptor
    let next: any WorkflowHandler

    init(interceptor: any WorkflowInterceptor, next: any WorkflowHandler) {
        self.interceptor = interceptor
        self.next = next
    }

    func handle(_ call: WorkflowCall) async throws -> WorkflowResult {
        try await interceptor.intercept(call, next: next)
    }
}
