using System.Security.Cryptography;
using System.Text;

namespace Slipway.Release.Signing;

/// <summary>What a signature must prove to verify: the keyless certificate's identity and issuer, or the public key of the signing key.</summary>
public abstract record SignatureExpectation
{
    private SignatureExpectation()
    {
    }

    /// <summary>For the record: who the signature is checked against.</summary>
    public abstract string Identity { get; }

    /// <summary>The OIDC issuer, keyless only.</summary>
    public virtual string? Issuer => null;

    /// <summary>A Fulcio certificate whose subject is exactly <paramref name="CertificateIdentity"/>, issued for a token of <paramref name="OidcIssuer"/>.</summary>
    public sealed record Keyless(string CertificateIdentity, string OidcIssuer) : SignatureExpectation
    {
        public override string Identity => CertificateIdentity;

        public override string? Issuer => OidcIssuer;
    }

    /// <summary>A signature by the private key of <paramref name="PublicKey"/> (PEM), recorded by its sha256 fingerprint.</summary>
    public sealed record Key(string PublicKey) : SignatureExpectation
    {
        public override string Identity => $"public key sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PublicKey.Trim())))}";
    }
}

/// <summary>The expectation, or why none can be formed (a refusal that names the parameter or variable to set).</summary>
public sealed record SignatureExpectationResolution(SignatureExpectation? Expectation, string Reason);

/// <summary>
/// What VerifySignature checks a signature against. Keyless: this repository's publish workflow at the ref being published,
/// <c>&lt;GITHUB_SERVER_URL&gt;/&lt;GITHUB_REPOSITORY&gt;/.github/workflows/&lt;workflow&gt;@&lt;GITHUB_REF&gt;</c>, issued by GitHub's OIDC issuer.
/// It is built from GITHUB_REPOSITORY and GITHUB_REF rather than taken from GITHUB_WORKFLOW_REF because the point is to
/// prove the release workflow signed, not whichever workflow happens to run Publish: a signature made by another workflow
/// of the repository (or a fork's) must not verify. GITHUB_WORKFLOW_REF serves as a cross-check: when it names another
/// workflow, the run is refused before anything is pushed, since its signatures could never verify. An explicit
/// <c>--certificate-identity</c> replaces both (a reusable workflow signs as itself, for instance). Key signing verifies
/// against <c>--cosign-public-key</c>, which must then be given: checking with a key derived from the private key would
/// prove nothing about the key consumers hold.
/// </summary>
public static class SignatureExpectations
{
    public const string GitHubOidcIssuer = "https://token.actions.githubusercontent.com";
    public const string DefaultWorkflowFile = "publish.yml";

    public static SignatureExpectationResolution For(
        SigningIdentity identity, IReadOnlyDictionary<string, string?> environment, string? certificateIdentity, string? publicKey, string workflowFile = DefaultWorkflowFile)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        if (identity is SigningIdentity.Key)
        {
            return string.IsNullOrWhiteSpace(publicKey)
                ? new(null, "signing with a key, VerifySignature needs the matching public key: give --cosign-public-key (or SLIPWAY_COSIGN_PUBLIC_KEY) with the PEM that `cosign generate-key-pair` wrote as cosign.pub")
                : new(new SignatureExpectation.Key(publicKey), "the public key given with --cosign-public-key");
        }

        if (!string.IsNullOrWhiteSpace(certificateIdentity))
            return new(new SignatureExpectation.Keyless(certificateIdentity.Trim(), GitHubOidcIssuer), "--certificate-identity");

        var server = (Get("GITHUB_SERVER_URL") ?? "https://github.com").TrimEnd('/');
        if (Get("GITHUB_REPOSITORY") is not { } repository || Get("GITHUB_REF") is not { } gitRef)
            return new(null, "signing keyless, VerifySignature needs the identity to expect: GITHUB_REPOSITORY and GITHUB_REF are not both set (they are in GitHub Actions); give --certificate-identity");

        var expected = $"{server}/{repository}/.github/workflows/{workflowFile}@{gitRef}";
        if (Get("GITHUB_WORKFLOW_REF") is { } running && $"{server}/{running}" != expected)
        {
            return new(null,
                $"this run's workflow is {server}/{running}, but VerifySignature expects signatures from {expected} (this repository's publish workflow at the ref): " +
                $"publish from .github/workflows/{workflowFile}, or name the signing identity with --certificate-identity");
        }

        return new(new SignatureExpectation.Keyless(expected, GitHubOidcIssuer), "this repository's publish workflow at the ref being published");
    }
}
