using Slipway.Release.Tools;

namespace Slipway.Release.Kubernetes;

/// <summary>kubectl for any component that talks to a cluster, resolved once per build and only when a target first asks.</summary>
public interface IKubectl : IPinnedTools
{
    [Parameter("kubectl to use: a path, or a name looked up on PATH (default: a supported kubectl on PATH, else the pinned kubectl 1.35.2)")]
    string? Kubectl => ParameterValue<string>(nameof(Kubectl));

    Task<ResolvedTool> KubectlAsync(CancellationToken cancellationToken) =>
        ResolveToolAsync(
            PinnedTools.Kubectl,
            string.IsNullOrWhiteSpace(Kubectl) ? null : new ToolRequest(Kubectl, "--kubectl (SLIPWAY_KUBECTL)"),
            cancellationToken);
}
