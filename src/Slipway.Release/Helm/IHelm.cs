using Slipway.Release.Oci;
using Slipway.Release.Tools;

namespace Slipway.Release.Helm;

/// <summary>helm for any component that needs it, resolved once per build and only when a target first asks.</summary>
public interface IHelm : IPinnedTools
{
    [Parameter("helm to use: a path, or a name looked up on PATH (default: a supported helm on PATH, else the pinned helm 4.1.4)")]
    string? Helm => ParameterValue<string>(nameof(Helm));

    /// <summary>The helm the build runs; <see cref="PinnedTools.Helm"/> unless a build pins another.</summary>
    PinnedTool HelmTool => PinnedTools.Helm;

    /// <summary>The retry policy of helm's registry verbs (push, pull, login); a build that publishes passes its registry policy.</summary>
    RegistryRetry HelmRegistryRetry => new(Log);

    Task<HelmCli> HelmAsync(CancellationToken cancellationToken) =>
        Shared(() => new HelmResolution(this)).GetAsync(cancellationToken);
}

/// <summary>
/// Wraps the resolved helm in the adapter once, with its isolated config, cache and data homes under .nuke/temp/helm, and
/// its registry logins in a folder of the run's temp root, which goes when the run ends, whatever happens.
/// </summary>
internal sealed class HelmResolution(IHelm build)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private HelmCli? _helm;

    public async Task<HelmCli> GetAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_helm is null)
            {
                var request = string.IsNullOrWhiteSpace(build.Helm) ? null : new ToolRequest(build.Helm, "--helm (SLIPWAY_HELM)");
                var tool = await build.ResolveToolAsync(build.HelmTool, request, cancellationToken);
                _helm = new HelmCli(
                    tool, build.Processes, build.Secrets, Path.Combine(build.RootDirectory, ".nuke", "temp", "helm"),
                    build.CreateTemporaryDirectory("slipway-helm-registry-").FullName, build.HelmRegistryRetry);
            }

            return _helm;
        }
        finally
        {
            _gate.Release();
        }
    }
}
