using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Signing;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Signing;

/// <summary>The signer against a fake cosign that records argv and environment and answers like cosign 2 and 3.</summary>
public sealed class CosignSignerTests : IDisposable
{
    private static readonly string Digest = "sha256:" + new string('a', 64);
    private static readonly string IndexDigest = "sha256:" + new string('b', 64);
    private const string PrivateKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    private const string Password = "hunter2-cosign-password";

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly InstantTime _time = new();
    private FakeCosign? _cosign;

    public void Dispose() => _cosign?.Dispose();

    private CosignSigner Signer(FakeCosign cosign, string? dockerConfig = null)
    {
        _cosign = cosign;
        return new CosignSigner(
            new CosignCli(new ProcessRunner(_log, _secrets), new CosignOptions { Executable = cosign.Executable, DockerConfigDirectory = dockerConfig }),
            new RegistryRetry(_log, new RetryBudget(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), TimeSpan.FromMinutes(2)), _time),
            _log,
            _secrets);
    }

    private static SigningIdentity.Keyless Keyless { get; } = new("GitHub Actions OIDC");

    [Theory]
    [InlineData(FakeCosign.Version2)]
    [InlineData(FakeCosign.Version3)]
    public async Task Keyless_signs_by_digest_with_yes(string versionOutput)
    {
        var signer = Signer(new FakeCosign(versionOutput));

        var outcome = await signer.SignAsync([new SignTarget($"ghcr.io/acme/charts/demo:1.2.3@{Digest}")], Keyless);

        Assert.Equal(new SigningOutcome.Signed([$"ghcr.io/acme/charts/demo@{Digest}"], SigningMode.Keyless) { Covered = [$"ghcr.io/acme/charts/demo@{Digest}"] }, outcome);
        var format = versionOutput == FakeCosign.Version2 ? string.Empty : "[--new-bundle-format=true] ";
        Assert.Equal([$"[sign] [--yes] {format}[ghcr.io/acme/charts/demo@{Digest}]"], _cosign!.Calls);
        Assert.Equal(["key=- password=- docker_config="], _cosign.Environments);
        Assert.Contains(_log.Lines, line => line.Contains(
            versionOutput == FakeCosign.Version2 ? "cosign v2.4.1, signatures under .sig tags" : "cosign v3.0.6, Sigstore bundles as OCI 1.1 referrers", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Key_mode_passes_key_and_password_only_in_the_environment()
    {
        var signer = Signer(new FakeCosign(), dockerConfig: "/tmp/docker-config");

        var platform = $"ghcr.io/acme/demo@sha256:{new string('c', 64)}";
        var outcome = await signer.SignAsync(
            [new SignTarget($"ghcr.io/acme/demo@{IndexDigest}", Recursive: true) { Manifests = [platform] }, new SignTarget($"ghcr.io/acme/charts/demo@{Digest}")],
            new SigningIdentity.Key(PrivateKey, Password));

        var signed = Assert.IsType<SigningOutcome.Signed>(outcome);
        Assert.Equal([$"ghcr.io/acme/demo@{IndexDigest}", platform, $"ghcr.io/acme/charts/demo@{Digest}"], signed.Covered);
        Assert.Equal(
        [
            $"[sign] [--yes] [--key] [env://COSIGN_PRIVATE_KEY] [--recursive] [ghcr.io/acme/demo@{IndexDigest}]",
            $"[sign] [--yes] [--key] [env://COSIGN_PRIVATE_KEY] [ghcr.io/acme/charts/demo@{Digest}]",
        ], _cosign!.Calls);
        Assert.All(_cosign.Environments, environment =>
            Assert.Equal($"key={FakeCosign.Hash(PrivateKey)} password={FakeCosign.Hash(Password)} docker_config=/tmp/docker-config", environment));
        AssertNoSecretsAnywhere(outcome);
    }

    [Fact]
    public async Task Key_without_password_sets_an_empty_one_so_cosign_never_prompts()
    {
        var signer = Signer(new FakeCosign());

        await signer.SignAsync([new SignTarget($"ghcr.io/acme/demo@{Digest}")], new SigningIdentity.Key(PrivateKey, null));

        Assert.Equal([$"key={FakeCosign.Hash(PrivateKey)} password={FakeCosign.Hash(string.Empty)} docker_config="], _cosign!.Environments);
    }

    [Theory]
    [InlineData(FakeCosign.Version2, "[--allow-insecure-registry] [--allow-http-registry] ")]
    [InlineData(FakeCosign.Version3, "[--new-bundle-format=true] [--allow-insecure-registry] [--allow-http-registry] ")]
    [InlineData("GitVersion:    v1.13.1", "[--allow-insecure-registry] ")]
    public async Task Loopback_registries_get_the_insecure_flags_the_version_knows(string versionOutput, string flags)
    {
        var signer = Signer(new FakeCosign(versionOutput));

        await signer.SignAsync([new SignTarget($"127.0.0.1:5000/demo@{Digest}", Recursive: true)], Keyless);

        Assert.Equal([$"[sign] [--yes] [--recursive] {flags}[127.0.0.1:5000/demo@{Digest}]"], _cosign!.Calls);
    }

    [Theory]
    [InlineData("ghcr.io/acme/demo:1.2.3")]
    [InlineData("127.0.0.1:5000/demo:latest")]
    public async Task A_tag_only_reference_is_refused_before_anything_is_signed(string reference)
    {
        var signer = Signer(new FakeCosign());

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            signer.SignAsync([new SignTarget($"ghcr.io/acme/charts/demo@{Digest}"), new SignTarget(reference)], Keyless));

        Assert.Contains("sign by digest, never by tag", error.Message, StringComparison.Ordinal);
        Assert.Contains(reference, error.Message, StringComparison.Ordinal);
        Assert.Empty(_cosign!.Calls);
    }

    [Fact]
    public async Task Transient_rekor_failures_are_retried_under_the_shared_policy_and_logged()
    {
        var signer = Signer(new FakeCosign(failTimes: 2));

        var outcome = await signer.SignAsync([new SignTarget($"ghcr.io/acme/demo@{Digest}")], new SigningIdentity.Key(PrivateKey, Password));

        Assert.IsType<SigningOutcome.Signed>(outcome);
        Assert.Equal(3, _cosign!.Calls.Count);
        Assert.Equal(2, _time.Waits.Count);
        Assert.All(_time.Waits, wait => Assert.InRange(wait, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(8)));
        Assert.Equal(2, _log.Lines.Count(line => line.StartsWith($"warning: cosign sign ghcr.io/acme/demo@{Digest}: '502' in its output; retry ", StringComparison.Ordinal)));
        AssertNoSecretsAnywhere(outcome);
    }

    [Fact]
    public async Task Transient_failures_give_up_when_the_attempts_are_used()
    {
        var signer = Signer(new FakeCosign(failTimes: 5));

        var outcome = await signer.SignAsync([new SignTarget($"ghcr.io/acme/demo@{Digest}")], Keyless);

        var failed = Assert.IsType<SigningOutcome.Failed>(outcome);
        Assert.Equal(3, _cosign!.Calls.Count);
        Assert.Equal(2, _time.Waits.Count);
        Assert.Contains("failed 3 times", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("all 3 attempts are used", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("502", failed.Reason, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was signed.", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_non_transient_failure_fails_at_once_and_names_what_was_already_signed()
    {
        var signer = Signer(new FakeCosign(failTimes: 5, failMessage: FakeCosign.Unauthorized, succeedFirst: 1));

        var outcome = await signer.SignAsync(
            [new SignTarget($"ghcr.io/acme/demo@{IndexDigest}"), new SignTarget($"ghcr.io/acme/charts/demo@{Digest}")],
            new SigningIdentity.Key(PrivateKey, Password));

        var failed = Assert.IsType<SigningOutcome.Failed>(outcome);
        Assert.Equal(2, _cosign!.Calls.Count);
        Assert.Empty(_time.Waits);
        Assert.StartsWith($"cosign could not sign ghcr.io/acme/charts/demo@{Digest}: exit code 1: ", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("UNAUTHORIZED", failed.Reason, StringComparison.Ordinal);
        Assert.EndsWith($"Already signed: ghcr.io/acme/demo@{IndexDigest}.", failed.Reason, StringComparison.Ordinal);
        AssertNoSecretsAnywhere(outcome);
    }

    [Fact]
    public async Task A_missing_cosign_fails_with_a_clear_reason()
    {
        var signer = new CosignSigner(new CosignCli(new ProcessRunner(_log, _secrets), new CosignOptions { Executable = "/nonexistent/cosign" }), new RegistryRetry(_log), _log, _secrets);

        var outcome = await signer.SignAsync([new SignTarget($"ghcr.io/acme/demo@{Digest}")], Keyless);

        Assert.Contains("Could not start 'cosign'", Assert.IsType<SigningOutcome.Failed>(outcome).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FakeCosign.Version2, "2.4.1")]
    [InlineData(FakeCosign.Version3, "3.0.6")]
    [InlineData("{\n  \"GitVersion\": \"v2.2.4\",\n  \"GitCommit\": \"x\"\n}", "2.2.4")]
    [InlineData("GitVersion:    devel", null)]
    public void Parses_the_git_version_line(string output, string? expected) =>
        Assert.Equal(expected is null ? null : Version.Parse(expected), CosignCli.ParseVersion(output));

    private void AssertNoSecretsAnywhere(SigningOutcome outcome)
    {
        foreach (var secret in new[] { PrivateKey, Password, "c2VjcmV0LWtleS1ieXRlcw==" })
        {
            Assert.DoesNotContain(_log.Lines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, _cosign!.RecordedText, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, outcome.ToString(), StringComparison.Ordinal);
        }
    }
}
