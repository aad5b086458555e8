// Hosts import one module: the plugin API's types (calls, values, results, the interceptor and
// executor protocols) are part of the runtime's interface.
@_exported import TroupePluginAPI
