/// One link of a prepared workflow's workflow interceptor chain.
final class WorkflowInterceptorLink: WorkflowHandler {
    let interceptor: any WorkflowInterceptor
    let next: any WorkflowHandler

    init(interceptor: any WorkflowInterceptor, next: any WorkflowHandler) {
        self.interceptor = interceptor
        self.next = next
    }

    func handle(_ call: WorkflowCall, context: any WorkflowContext) async throws -> WorkflowResult {
        try await interceptor.intercept(call, context: context, next: next)
    }
}
