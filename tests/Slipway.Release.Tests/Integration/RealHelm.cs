using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class RealHelmCollection : ICollectionFixture<RealHelm>
{
    public const string Name = "real helm";
}

/// <summary>The real helm binary, resolved once per test run the way a build does: PATH, else the shared tool cache, else npm.</summary>
public sealed class RealHelm : IAsyncLifetime
{
    private readonly SecretRegistry _secrets = new();

    internal RecordingLog Log { get; } = new();

    public ResolvedTool Tool { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Tool = await TestTools.ResolveAsync(PinnedTools.Helm, new ProcessRunner(Log, _secrets), Log);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal HelmCli Cli(string stateDirectory) => new(Tool, new ProcessRunner(Log, _secrets), _secrets, stateDirectory);
}
