using Slipway.Release.Tools;

namespace Slipway.Release.Helm;

/// <summary>helm for any component that needs it, resolved once per build and only when a target first asks.</summary>
public interface IHelm : ISlipwayBuild
{
    Task<HelmCli> HelmAsync(CancellationToken cancellationToken) =>
        Shared(() => new HelmResolution(this)).GetAsync(cancellationToken);
}

/// <summary>Resolves helm on first use.</summary>
internal sealed class HelmResolution(ISlipwayBuild build)
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
                // The provisioner reports which helm it found and where it came from.
                var tool = await new HelmProvisioner(build.Processes, build.Log, ToolCache.Default).ResolveAsync(cancellationToken);
                _helm = new HelmCli(tool, build.Processes, build.Secrets, Path.Combine(build.RootDirectory, ".nuke", "temp", "helm"));
            }

            return _helm;
        }
        finally
        {
            _gate.Release();
        }
    }
}
