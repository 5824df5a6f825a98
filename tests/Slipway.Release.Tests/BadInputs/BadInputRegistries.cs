using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Signing;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.BadInputs;

/// <summary>
/// What the catalogue's publishing cases run against, started once for the catalogue: an open registry (<c>{registry}</c>),
/// one behind htpasswd (<c>{locked}</c>, user <see cref="User"/>, <see cref="Password"/>) and the fake cosign (<c>{cosign}</c>).
/// </summary>
public sealed class BadInputRegistries : IAsyncLifetime
{
    public const string User = "releaser";
    public const string Password = "pw-bad-input-4e1f";

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly FakeCosign _cosign = new();
    private EmbeddedRegistry _open = null!;
    private EmbeddedRegistry _locked = null!;

    public async Task InitializeAsync()
    {
        _secrets.Register(Password);
        var runner = new ProcessRunner(_log, _secrets);
        var binary = await new RegistryBinaryProvisioner(runner, ToolCache.Default, _log).ProvisionAsync();
        _open = await EmbeddedRegistry.StartAsync(binary, runner, _log, Directory.CreateTempSubdirectory);
        _locked = await EmbeddedRegistry.StartAsync(binary, runner, _log, Directory.CreateTempSubdirectory, new RegistryCredentials(User, Password));
    }

    public async Task DisposeAsync()
    {
        await _open.StopAsync();
        await _locked.StopAsync();
        _cosign.Dispose();
    }

    public string Expand(string text) => text
        .Replace("{registry}", _open.Address, StringComparison.Ordinal)
        .Replace("{locked}", _locked.Address, StringComparison.Ordinal)
        .Replace("{cosign}", _cosign.Executable, StringComparison.Ordinal);

    /// <summary>Every release tag of the release's repositories in either registry: a refused publish leaves none.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync()
    {
        using var http = new HttpClient();
        var client = new OciRegistryClient(http, _secrets, _log);
        var tags = new List<string>();
        foreach (var (registry, credentials) in new[] { (_open, (RegistryCredentials?)null), (_locked, new RegistryCredentials(User, Password)) })
        {
            foreach (var repository in new[] { "charts/beacon", "beacon" })
                tags.AddRange((await client.ListReleaseTagsAsync(registry.Address, repository, credentials)).Select(tag => $"{registry.Address}/{repository}:{tag}"));
        }

        return tags;
    }
}
