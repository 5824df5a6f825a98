using Slipway.Release.Kubernetes;

namespace Slipway.Release.Tests.PrSmoke.Doubles;

/// <summary>An in-memory kind for stage tests: a set of cluster names, every call recorded.</summary>
internal sealed class ScriptedKind : IKindCli
{
    public HashSet<string> Clusters { get; } = [];

    public List<string> Calls { get; } = [];

    public Func<Exception?> Failure { get; set; } = () => null;

    public Task<IReadOnlyList<string>> GetClustersAsync(CancellationToken cancellationToken) =>
        Do("get clusters", () => (IReadOnlyList<string>)[.. Clusters]);

    public Task CreateClusterAsync(string name, string kubeconfig, TimeSpan wait, CancellationToken cancellationToken) =>
        Do($"create cluster --name {name}", () => Clusters.Add(name));

    public Task ExportKubeconfigAsync(string name, string kubeconfig, CancellationToken cancellationToken) => Do($"export kubeconfig --name {name}", () => true);

    public Task LoadImageArchiveAsync(string name, string archive, CancellationToken cancellationToken) => Do($"load image-archive --name {name}", () => true);

    public Task DeleteClusterAsync(string name, string kubeconfig, CancellationToken cancellationToken) => Do($"delete cluster --name {name}", () => Clusters.Remove(name));

    private Task<T> Do<T>(string call, Func<T> action)
    {
        Calls.Add(call);
        return Failure() is { } error ? Task.FromException<T>(error) : Task.FromResult(action());
    }
}
