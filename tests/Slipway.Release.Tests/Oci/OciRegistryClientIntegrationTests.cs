using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Oci;

[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OciRegistryClientIntegrationTests(RegistryBinaryFixture binary) : IDisposable
{
    private const string Password = "s3cret-Pa55word-that-must-not-leak";
    private static readonly RegistryCredentials Publisher = new("publisher", Password);

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly HttpClient _http = new();

    public void Dispose() => _http.Dispose();

    private OciRegistryClient Client => new(_http, _secrets, _log);

    [Fact]
    public async Task An_anonymous_registry_serves_the_pushed_manifest_by_tag_and_by_digest()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        var reference = OciReference.Parse($"{registry.Address}/charts/app:0.1.0-ci.3.g0123456");

        var pushed = await TestImage.PushAsync(Client, reference);
        var byTag = await Client.ResolveManifestAsync(reference);
        var byDigest = await Client.ResolveManifestAsync(OciReference.Parse($"{registry.Address}/charts/app@{pushed}"));

        var found = Assert.IsType<ManifestResolution.Found>(byTag);
        Assert.Equal(pushed, found.Digest);
        Assert.Equal(OciMediaTypes.ImageManifest, found.MediaType);
        Assert.Equal(pushed, OciRegistryClient.Sha256Digest(found.Content));
        Assert.Equal(pushed, Assert.IsType<ManifestResolution.Found>(byDigest).Digest);
        Assert.True((await Client.CheckReachableAsync(registry.Address)).Succeeded);
    }

    [Fact]
    public async Task A_missing_tag_is_not_found_with_the_registrys_words()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        await TestImage.PushAsync(Client, OciReference.Parse($"{registry.Address}/charts/app:1.0.0"));

        var missing = await Client.ResolveManifestAsync(OciReference.Parse($"{registry.Address}/charts/app:9.9.9"));

        Assert.Contains("MANIFEST_UNKNOWN", Assert.IsType<ManifestResolution.NotFound>(missing).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_private_registry_refuses_anonymous_pulls_and_serves_its_user_without_leaking_the_password()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory, Publisher);
        var reference = OciReference.Parse($"{registry.Address}/charts/app:1.2.3");
        var messages = new List<string>();

        var pushed = await TestImage.PushAsync(Client, reference, Publisher);
        var anonymous = Assert.IsType<ManifestResolution.Unauthorized>(await Client.ResolveManifestAsync(reference));
        var authorised = Assert.IsType<ManifestResolution.Found>(await Client.ResolveManifestAsync(reference, Publisher));
        var wrongPassword = Assert.IsType<ManifestResolution.Unauthorized>(await Client.ResolveManifestAsync(reference, Publisher with { Password = "wrong-" + Password }));
        var goodCheck = await Client.CheckCredentialsAsync(registry.Address, Publisher);
        var badCheck = await Client.CheckCredentialsAsync(registry.Address, Publisher with { Password = "wrong-" + Password });
        var anonymousPush = await Assert.ThrowsAsync<OciRegistryException>(() => TestImage.PushAsync(Client, reference));
        messages.AddRange([anonymous.Message, wrongPassword.Message, goodCheck.Message, badCheck.Message, anonymousPush.Message, Publisher.ToString()]);

        Assert.False(anonymous.CredentialsSent);
        Assert.Contains("not publicly pullable", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains("UNAUTHORIZED", anonymous.Message, StringComparison.Ordinal);
        Assert.Equal(pushed, authorised.Digest);
        Assert.True(wrongPassword.CredentialsSent);
        Assert.True(goodCheck.Succeeded, goodCheck.Message);
        Assert.False(badCheck.Succeeded, badCheck.Message);
        Assert.True((await Client.CheckReachableAsync(registry.Address)).Succeeded);
        Assert.NotEmpty(_log.Lines);
        Assert.All(_log.Lines.Concat(messages), line => Assert.DoesNotContain("Pa55word", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_registry_is_reported_not_thrown_by_the_check_and_clearly_by_resolve()
    {
        await using var registry = await EmbeddedRegistry.StartAsync(binary.BinaryPath, new ProcessRunner(_log, _secrets), _log, Directory.CreateTempSubdirectory);
        var address = registry.Address;
        await registry.StopAsync();

        var check = await Client.CheckReachableAsync(address);
        var error = await Assert.ThrowsAsync<OciRegistryException>(() => Client.ResolveManifestAsync(OciReference.Parse($"{address}/charts/app:1.0.0")));

        Assert.False(check.Succeeded);
        Assert.Contains($"Could not reach registry '{address}'", check.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", check.Message, StringComparison.Ordinal);
        Assert.Contains($"Could not reach registry '{address}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Lines, line => line.Contains("retry", StringComparison.Ordinal));
    }
}
