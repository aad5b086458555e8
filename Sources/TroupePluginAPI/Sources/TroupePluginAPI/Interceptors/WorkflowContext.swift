/// The runtime's side of one instance's run, passed down the workflow interceptor chain.
///
/// The runtime implements it; its innermost handler needs the context it passed in, so an
/// interceptor hands on the context it received (a replaced one fails the instance with an error).
public protocol WorkflowContext: AnyObject, Sendable {
    /// The instance being run.
    var instanceID: InstanceID { get }
}
