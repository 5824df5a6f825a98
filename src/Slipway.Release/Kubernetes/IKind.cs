using Slipway.Release.Tools;

namespace Slipway.Release.Kubernetes;

/// <summary>kind for any component that runs a cluster in the runner, resolved once per build and only when a target first asks.</summary>
public interface IKind : IPinnedTools
{
    [Parameter("kind to use: a path, or a name looked up on PATH (default: a supported kind on PATH, else the pinned kind 0.32.0)")]
    string? Kind => ParameterValue<string>(nameof(Kind));

    async Task<IKindCli> KindAsync(CancellationToken cancellationToken) =>
        new KindCli(
            await ResolveToolAsync(PinnedTools.Kind, string.IsNullOrWhiteSpace(Kind) ? null : new ToolRequest(Kind, "--kind (SLIPWAY_KIND)"), cancellationToken),
            Processes,
            Secrets);
}
