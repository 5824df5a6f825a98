using Slipway.Release.Signing;

namespace Slipway.Release.Tests.Signing;

/// <summary>What VerifySignature checks against, from GitHub Actions' variables and the parameters.</summary>
public sealed class SignatureExpectationsTests
{
    private static readonly SigningIdentity Keyless = new SigningIdentity.Keyless("GitHub Actions OIDC");

    private static Dictionary<string, string?> Actions(string gitRef = "refs/tags/v1.2.3", string? workflowRef = null) => new()
    {
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_REPOSITORY"] = "acme/beacon",
        ["GITHUB_REF"] = gitRef,
        ["GITHUB_WORKFLOW_REF"] = workflowRef ?? $"acme/beacon/.github/workflows/publish.yml@{gitRef}",
    };

    [Theory]
    [InlineData("refs/tags/v1.2.3")]
    [InlineData("refs/heads/main")]
    public void Keyless_expects_this_repositorys_publish_workflow_at_the_ref_from_githubs_issuer(string gitRef)
    {
        var resolution = SignatureExpectations.For(Keyless, Actions(gitRef), certificateIdentity: null, publicKey: null);

        Assert.Equal(
            new SignatureExpectation.Keyless($"https://github.com/acme/beacon/.github/workflows/publish.yml@{gitRef}", "https://token.actions.githubusercontent.com"),
            resolution.Expectation);
    }

    [Fact]
    public void A_run_of_another_workflow_is_refused_because_its_signatures_could_never_verify()
    {
        var resolution = SignatureExpectations.For(Keyless, Actions(workflowRef: "acme/beacon/.github/workflows/ci.yml@refs/tags/v1.2.3"), null, null);

        Assert.Null(resolution.Expectation);
        Assert.Contains("this run's workflow is https://github.com/acme/beacon/.github/workflows/ci.yml@refs/tags/v1.2.3", resolution.Reason, StringComparison.Ordinal);
        Assert.Contains("--certificate-identity", resolution.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_certificate_identity_wins()
    {
        var resolution = SignatureExpectations.For(Keyless, Actions(workflowRef: "acme/shared/.github/workflows/release.yml@refs/heads/main"), " https://github.com/acme/shared/.github/workflows/release.yml@refs/heads/main ", null);

        Assert.Equal("https://github.com/acme/shared/.github/workflows/release.yml@refs/heads/main", resolution.Expectation!.Identity);
    }

    [Fact]
    public void Another_server_and_workflow_file_are_followed()
    {
        var environment = Actions("refs/heads/main", "acme/beacon/.github/workflows/release.yaml@refs/heads/main");
        environment["GITHUB_SERVER_URL"] = "https://github.example.com/";

        var resolution = SignatureExpectations.For(Keyless, environment, null, null, "release.yaml");

        Assert.Equal("https://github.example.com/acme/beacon/.github/workflows/release.yaml@refs/heads/main", resolution.Expectation!.Identity);
    }

    [Fact]
    public void Keyless_outside_github_actions_needs_the_identity_named()
    {
        var resolution = SignatureExpectations.For(Keyless, new Dictionary<string, string?>(), null, null);

        Assert.Null(resolution.Expectation);
        Assert.Contains("GITHUB_REPOSITORY and GITHUB_REF", resolution.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_signature_needs_the_public_key()
    {
        var key = new SigningIdentity.Key("private", null);

        var without = SignatureExpectations.For(key, Actions(), null, null);
        var with = SignatureExpectations.For(key, Actions(), null, "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----\n");

        Assert.Null(without.Expectation);
        Assert.Contains("--cosign-public-key", without.Reason, StringComparison.Ordinal);
        Assert.IsType<SignatureExpectation.Key>(with.Expectation);
        Assert.Null(with.Expectation.Issuer);
    }
}
