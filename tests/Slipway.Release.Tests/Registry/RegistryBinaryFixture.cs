using Slipway.Processes;
using Slipway.Release.Registry;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Registry;

/// <summary>Provisions the registry binary once per test run, into the shared tool cache (fetched on a fresh machine, reused after).</summary>
public sealed class RegistryBinaryFixture : IAsyncLifetime
{
    public string BinaryPath { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var log = new RecordingLog();
        BinaryPath = await new RegistryBinaryProvisioner(new ProcessRunner(log, new SecretRegistry()), ToolCache.Default, log).ProvisionAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Registry tests run one after another: each starts real processes, and some count the temporary folders left behind.</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryBinaryFixture>
{
    public const string Name = "Embedded registry";
}
