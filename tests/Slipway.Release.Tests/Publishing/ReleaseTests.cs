using System.Text.Json;
using Slipway.Release.Publishing;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Signing;

namespace Slipway.Release.Tests.Publishing;

/// <summary>The whole Publish through its targets on the embedded registry: the release record, and signing skipped, required or done.</summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class ReleaseTests : IDisposable
{
    private const string CosignKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    private const string PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEpublic\n-----END PUBLIC KEY-----";

    private readonly PublishWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class ReleaseBuild : SlipwayBuild, IRelease
    {
        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    [Fact]
    public async Task Publish_writes_the_release_record_with_the_contract_keys_and_signing_skipped_with_its_reason()
    {
        var (exitCode, output) = await RunAsync();

        Assert.True(exitCode == 0, output);
        Assert.Contains("Sign", output);
        Assert.Contains("skipped: no signing identity", output);
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_workspace.Root, "artifacts", "release.json")));
        var root = record.RootElement;
        Assert.Equal(["version", "gitSha", "dirty", "createdAt", "chart", "image", "signing", "signatureVerification", "anonymousPull"], root.EnumerateObject().Select(property => property.Name));
        Assert.Matches(@"^0\.1\.0-ci\.1\.g[0-9a-f]{7}$", root.GetProperty("version").GetString());
        Assert.Equal(_workspace.Git("rev-parse", "HEAD").Trim(), root.GetProperty("gitSha").GetString());
        Assert.Equal("2026-11-20T10:00:00Z", root.GetProperty("createdAt").GetString());
        Assert.Matches(@"^127\.0\.0\.1:\d+/charts/beacon:0\.1\.0-ci\.1\.g[0-9a-f]{7}$", root.GetProperty("chart").GetProperty("reference").GetString());
        Assert.Contains(root.GetProperty("chart").GetProperty("digest").GetString()!, output);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("image").ValueKind);
        Assert.Equal("skipped", root.GetProperty("signing").GetProperty("status").GetString());
        Assert.Equal("no signing identity", root.GetProperty("signing").GetProperty("reason").GetString());
        Assert.Equal("skipped", root.GetProperty("signatureVerification").GetProperty("status").GetString());
        Assert.Equal("nothing was signed (no signing identity)", root.GetProperty("signatureVerification").GetProperty("detail").GetString());
        Assert.Equal("passed", root.GetProperty("anonymousPull").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_required_signature_without_identity_is_refused_before_anything_is_pushed()
    {
        var (exitCode, output) = await RunAsync("--require-signature");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("PublishPreflight │ error: no signing identity; this run must sign (--require-signature): give --cosign-key, or run in GitHub Actions with 'id-token: write'. Nothing was pushed.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Pushed", output, StringComparison.Ordinal);
        Assert.Matches(@"ChartPush +not run: PublishPreflight failed", output);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "artifacts", "release.json")));
    }

    [Fact]
    public async Task With_a_key_the_chart_is_signed_by_digest_then_verified_and_the_key_is_never_on_the_command_line_or_in_the_output()
    {
        using var cosign = new FakeCosign().WithKeyPair(CosignKey, PublicKey);
        var (exitCode, output) = await RunAsync("--cosign", cosign.Executable, "--cosign-key", CosignKey, "--cosign-password", "pw-for-key", "--cosign-public-key", PublicKey);

        Assert.True(exitCode == 0, output);
        var call = Assert.Single(cosign.SignCalls);
        Assert.Matches(@"^\[sign\] \[--yes\] \[--key\] \[env://COSIGN_PRIVATE_KEY\] .*\[127\.0\.0\.1:\d+/charts/beacon@sha256:[0-9a-f]{64}\]$", call);
        Assert.Equal(call.Replace("[sign] [--yes] [--key] [env://COSIGN_PRIVATE_KEY]", "[verify] [--key] [env://COSIGN_PUBLIC_KEY]", StringComparison.Ordinal), Assert.Single(cosign.VerifyCalls));
        Assert.Equal($"key={FakeCosign.Hash(CosignKey)} password={FakeCosign.Hash("pw-for-key")} docker_config=", cosign.Environments[0]);
        Assert.DoesNotContain("c2VjcmV0LWtleS1ieXRlcw", output);
        Assert.DoesNotContain("pw-for-key", output);
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_workspace.Root, "artifacts", "release.json")));
        Assert.Equal("signed", record.RootElement.GetProperty("signing").GetProperty("status").GetString());
        Assert.Equal("verified", record.RootElement.GetProperty("signatureVerification").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_dirty_tree_is_refused_before_anything_is_pushed_and_released_under_its_dirty_version_with_allow_dirty()
    {
        await File.AppendAllTextAsync(Path.Combine(_workspace.ChartDirectory, "values.yaml"), "# an edit that is not committed\n");

        var (refusedExit, refused) = await InProcessBuild.RunAsync<ReleaseBuild>(_workspace.Root, [], new Dictionary<string, string> { ["CI"] = "true" });

        Assert.True(refusedExit == ExitCodes.Failed, refused);
        Assert.Matches(@"PublishPreflight │ error: Publish refuses a working tree with uncommitted changes \(1: charts/beacon/values\.yaml\): what it would release is not commit [0-9a-f]{7}\. " +
            @"Commit or stash them and run again, or pass --allow-dirty to release them as 0\.1\.0-ci\.1\.g[0-9a-f]{7}\.dirty-[0-9a-f]{7}\. Nothing was pushed\.", refused);
        Assert.DoesNotContain("Pushed", refused, StringComparison.Ordinal);
        Assert.Matches(@"ChartPush +not run: PublishPreflight failed", refused);
        Assert.False(File.Exists(Path.Combine(_workspace.Root, "artifacts", "release.json")));

        var (exitCode, output) = await RunAsync("--allow-dirty");

        Assert.True(exitCode == 0, output);
        Assert.Contains("warning: Publishing uncommitted changes (charts/beacon/values.yaml) as 0.1.0-ci.1.g", output, StringComparison.Ordinal);
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_workspace.Root, "artifacts", "release.json")));
        Assert.Matches(@"^0\.1\.0-ci\.1\.g[0-9a-f]{7}\.dirty-[0-9a-f]{7}$", record.RootElement.GetProperty("version").GetString());
        Assert.True(record.RootElement.GetProperty("dirty").GetBoolean());
    }

    private Task<InProcessBuild> RunAsync(params string[] args) => InProcessBuild.RunAsync<ReleaseBuild>(_workspace.Root, args);
}
