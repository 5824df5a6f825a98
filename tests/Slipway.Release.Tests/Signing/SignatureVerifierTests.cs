using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Signing;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Signing;

/// <summary>VerifySignature's stage against the fake cosign, which remembers who signed what and answers verify as cosign 2.x and 3.x do.</summary>
public sealed class SignatureVerifierTests : IDisposable
{
    private const string Issuer = SignatureExpectations.GitHubOidcIssuer;
    private const string PrivateKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    private const string PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEpublic\n-----END PUBLIC KEY-----";
    private static readonly string Index = "ghcr.io/acme/beacon@sha256:" + new string('b', 64);
    private static readonly string Platform = "ghcr.io/acme/beacon@sha256:" + new string('c', 64);
    private static readonly string Chart = "ghcr.io/acme/charts/beacon@sha256:" + new string('a', 64);

    private readonly RecordingLog _log = new();
    private readonly SecretRegistry _secrets = new();
    private readonly InstantTime _time = new();
    private FakeCosign? _cosign;

    public void Dispose() => _cosign?.Dispose();

    private static SignatureExpectation.Keyless PublishWorkflow { get; } = new(FakeCosign.PublishIdentity, Issuer);

    [Theory]
    [InlineData(FakeCosign.Version2, "")]
    [InlineData(FakeCosign.Version3, "[--new-bundle-format=true] ")]
    public async Task Every_signed_digest_is_verified_keyless_with_the_exact_identity_flags(string version, string format)
    {
        var (signer, verifier) = Stages(new FakeCosign(version));
        var signed = await signer.SignAsync([new SignTarget(Index, Recursive: true) { Manifests = [Platform] }, new SignTarget(Chart)], new SigningIdentity.Keyless("GitHub Actions OIDC"));

        var verification = await verifier.VerifyAsync(((SigningOutcome.Signed)signed).Covered, PublishWorkflow);

        Assert.Equal([Index, Platform, Chart], verification.Verified);
        Assert.Equal(
            [.. new[] { Index, Platform, Chart }.Select(reference =>
                $"[verify] [--certificate-identity] [{FakeCosign.PublishIdentity}] [--certificate-oidc-issuer] [{Issuer}] {format}[{reference}]")],
            _cosign!.VerifyCalls);
        Assert.Contains($"info: Verified {Chart}", _log.Lines);
    }

    [Theory]
    [InlineData(FakeCosign.Version2, "no matching signatures: none of the expected identities matched what was in the certificate, got subjects [https://github.com/acme/beacon/.github/workflows/other.yml@refs/heads/main]")]
    [InlineData(FakeCosign.Version3, "no matching attestations: failed to verify certificate identity: no matching CertificateIdentity found")]
    public async Task A_signature_by_another_workflow_does_not_verify_and_the_failure_names_the_digest(string version, string cosignSays)
    {
        var (signer, verifier) = Stages(new FakeCosign(version, oidcIdentity: "https://github.com/acme/beacon/.github/workflows/other.yml@refs/heads/main"));
        await signer.SignAsync([new SignTarget(Chart)], new SigningIdentity.Keyless("GitHub Actions OIDC"));

        var refused = await Assert.ThrowsAsync<SignatureNotVerifiedException>(() => verifier.VerifyAsync([Chart], PublishWorkflow));

        Assert.Contains($"sha256:{new string('a', 64)} ({Chart}) does not verify: cosign exit code", refused.Message, StringComparison.Ordinal);
        Assert.Contains(cosignSays, refused.Message, StringComparison.Ordinal);
        Assert.Contains($"against certificate identity {FakeCosign.PublishIdentity}, OIDC issuer {Issuer}", refused.Message, StringComparison.Ordinal);
        Assert.Single(_cosign!.VerifyCalls);
        Assert.Empty(_time.Waits);
    }

    [Fact]
    public async Task Every_digest_is_tried_and_each_that_fails_is_named()
    {
        var (signer, verifier) = Stages(new FakeCosign());
        await signer.SignAsync([new SignTarget(Chart)], new SigningIdentity.Keyless("GitHub Actions OIDC"));

        var refused = await Assert.ThrowsAsync<SignatureNotVerifiedException>(() => verifier.VerifyAsync([Index, Chart], PublishWorkflow));

        Assert.StartsWith("1 of 2 signatures do not verify", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"sha256:{new string('b', 64)} ({Index}) does not verify: cosign exit code 10: Error: no signatures found", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"({Chart})", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, _cosign!.VerifyCalls.Count);
    }

    [Theory]
    [InlineData(FakeCosign.Version2)]
    [InlineData(FakeCosign.Version3)]
    public async Task A_key_signature_verifies_with_its_public_key_passed_in_the_environment(string version)
    {
        var (signer, verifier) = Stages(new FakeCosign(version).WithKeyPair(PrivateKey, PublicKey));
        await signer.SignAsync([new SignTarget(Chart)], new SigningIdentity.Key(PrivateKey, null));

        var verification = await verifier.VerifyAsync([Chart], new SignatureExpectation.Key(PublicKey));

        Assert.Equal([Chart], verification.Verified);
        Assert.StartsWith("[verify] [--key] [env://COSIGN_PUBLIC_KEY] ", _cosign!.VerifyCalls.Single(), StringComparison.Ordinal);
        Assert.Matches("^public key sha256:[0-9a-f]{64}$", verification.Against.Identity);
    }

    [Fact]
    public async Task A_public_key_that_is_not_the_signing_keys_does_not_verify()
    {
        var (signer, verifier) = Stages(new FakeCosign().WithKeyPair(PrivateKey, PublicKey));
        await signer.SignAsync([new SignTarget(Chart)], new SigningIdentity.Key(PrivateKey, null));

        var refused = await Assert.ThrowsAsync<SignatureNotVerifiedException>(() => verifier.VerifyAsync([Chart], new SignatureExpectation.Key(PublicKey + "other")));

        Assert.Contains("invalid signature when validating ASN.1 encoded signature", refused.Message, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registry_fault_during_verification_is_retried()
    {
        var (signer, verifier) = Stages(new FakeCosign(verifyFailTimes: 2));
        await signer.SignAsync([new SignTarget(Chart)], new SigningIdentity.Keyless("GitHub Actions OIDC"));

        var verification = await verifier.VerifyAsync([Chart], PublishWorkflow);

        Assert.Equal([Chart], verification.Verified);
        Assert.Equal(3, _cosign!.VerifyCalls.Count);
        Assert.Equal(2, _log.Lines.Count(line => line.StartsWith($"warning: cosign verify {Chart}: '503' in its output; retry", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("""[{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"sha256:1"},"type":"t"}},{"critical":{"image":{"docker-manifest-digest":"sha256:2"}}}]""", "sha256:1,sha256:2")]
    [InlineData("[]", "")]
    [InlineData("Verified OK", "")]
    [InlineData("""{"critical":{}}""", "")]
    public void Reads_the_verified_digests_from_cosigns_json(string output, string digests) =>
        Assert.Equal(digests, string.Join(',', SignatureVerifier.VerifiedDigests(output)));

    private (CosignSigner Signer, SignatureVerifier Verifier) Stages(FakeCosign cosign)
    {
        _cosign = cosign;
        var cli = new CosignCli(new ProcessRunner(_log, _secrets), new CosignOptions { Executable = cosign.Executable });
        var retry = new RegistryRetry(_log, new RetryBudget(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(1)), _time);
        return (new CosignSigner(cli, retry, _log, _secrets), new SignatureVerifier(cli, retry, _log, _secrets));
    }
}
