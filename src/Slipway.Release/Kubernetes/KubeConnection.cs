using System.Text.Json.Serialization;

namespace Slipway.Release.Kubernetes;

/// <summary>
/// Which cluster kubectl and helm talk to: a kubeconfig file (null: the tools' own default, <c>KUBECONFIG</c> or
/// <c>~/.kube/config</c>) and a context in it (null: its current context). Every command names both when they are set,
/// so a teardown reaches the cluster the run used even if the current context changed since.
/// </summary>
public sealed record KubeConnection(string? Kubeconfig, string? Context)
{
    public static KubeConnection Default { get; } = new(null, null);

    /// <summary>The kubectl flags that select this cluster.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> KubectlArguments => [.. Flag("--kubeconfig", Kubeconfig), .. Flag("--context", Context)];

    /// <summary>The helm flags that select this cluster (helm calls the context flag --kube-context).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> HelmArguments => [.. Flag("--kubeconfig", Kubeconfig), .. Flag("--kube-context", Context)];

    public override string ToString() => $"context {Context ?? "(current)"} of {Kubeconfig ?? "the default kubeconfig"}";

    private static string[] Flag(string name, string? value) => value is null ? [] : [name, value];
}
