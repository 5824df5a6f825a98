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

/// <summary>The real helm binaries of both tested lines (<see cref="HelmLines"/>), resolved once per test run.</summary>
public sealed class RealHelm : IAsyncLifetime
{
    private readonly SecretRegistry _secrets = new();
    private readonly Dictionary<string, ResolvedTool> _lines = [];

    internal RecordingLog Log { get; } = new();

    /// <summary>The default line, for tests of what does not depend on helm's version.</summary>
    public ResolvedTool Tool => Line(HelmLines.Helm4);

    public ResolvedTool Line(string line) => _lines[line];

    public async Task InitializeAsync()
    {
        foreach (var line in HelmLines.All)
            _lines[line] = await HelmLines.ResolveAsync(line, new ProcessRunner(Log, _secrets), Log);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal HelmCli Cli(string stateDirectory, string line = HelmLines.Helm4) => new(Line(line), new ProcessRunner(Log, _secrets), _secrets, stateDirectory);
}
