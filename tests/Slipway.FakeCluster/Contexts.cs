namespace Slipway.FakeCluster;

/// <summary>Which simulated cluster a command reaches: the context it names (or its kubeconfig's current one), if that cluster exists and answers.</summary>
public static class Contexts
{
    /// <summary>The context the command uses; null when there is none (kubectl then falls back to localhost:8080).</summary>
    public static string? Context(string? kubeconfigFlag, string? contextFlag) =>
        contextFlag ?? Kubeconfig.Load(Kubeconfig.Locate(kubeconfigFlag)).CurrentContext;

    /// <summary>The server the context points at, as kubectl names it in errors (host:port, no scheme).</summary>
    public static string ServerAddress(string? kubeconfigFlag, string? context)
    {
        var server = context is null ? null : Kubeconfig.Load(Kubeconfig.Locate(kubeconfigFlag)).Servers.GetValueOrDefault(context);
        return server is { Length: > 0 } ? server.Replace("https://", string.Empty, StringComparison.Ordinal).Replace("http://", string.Empty, StringComparison.Ordinal) : "localhost:8080";
    }

    /// <summary>The cluster, or null when nothing answers there (no such context, no such cluster, or the scenario says unreachable).</summary>
    public static FakeClusterState? Reach(FakeState state, string? context) =>
        context is null || state.Scenario.Unreachable ? null : state.Clusters.GetValueOrDefault(context);
}
