using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Oci;

namespace Slipway.Release.Signing;

public sealed record CosignOptions
{
    /// <summary>The cosign binary: a path, or a name looked up on PATH.</summary>
    public string Executable { get; init; } = "cosign";

    /// <summary>The version the tool resolver read from it; null: asked with <c>cosign version</c> on first use.</summary>
    public Version? Version { get; init; }

    /// <summary>A folder with a docker <c>config.json</c> holding the registry login, passed as <c>DOCKER_CONFIG</c>.</summary>
    public string? DockerConfigDirectory { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Where a cosign version stores a container signature, by default and as Slipway runs it.</summary>
public enum CosignSignatureFormat
{
    /// <summary>The version could not be read: cosign's own default, the same for its sign and its verify.</summary>
    VersionDefault,

    /// <summary>cosign 2.x: a simple-signing payload under the tag <c>sha256-&lt;digest&gt;.sig</c>.</summary>
    LegacySignatureTag,

    /// <summary>cosign 3.x: a Sigstore bundle in an OCI 1.1 referrer (under the referrers tag <c>sha256-&lt;digest&gt;</c> where the registry has no referrers API, as GHCR).</summary>
    SigstoreBundleReferrer,
}

/// <summary>The cosign a run uses for both signing and verifying; <see cref="Format"/> follows from its version.</summary>
public sealed record CosignVersion(Version? Version)
{
    /// <summary>cosign 3.0 signs Sigstore bundles into OCI 1.1 referrers by default (<c>--new-bundle-format</c>); 2.x writes <c>.sig</c> tags.</summary>
    public static Version BundleFormatSince { get; } = new(3, 0, 0);

    /// <summary>Since cosign 2.0 a loopback (plain HTTP) registry needs <c>--allow-http-registry</c> besides <c>--allow-insecure-registry</c>.</summary>
    public static Version AllowHttpRegistrySince { get; } = new(2, 0, 0);

    public CosignSignatureFormat Format => Version switch
    {
        null => CosignSignatureFormat.VersionDefault,
        var known when known >= BundleFormatSince => CosignSignatureFormat.SigstoreBundleReferrer,
        _ => CosignSignatureFormat.LegacySignatureTag,
    };

    public string Describe() => (Version is null ? "cosign of unknown version" : $"cosign v{Version.ToString(3)}") + Format switch
    {
        CosignSignatureFormat.SigstoreBundleReferrer => ", Sigstore bundles as OCI 1.1 referrers",
        CosignSignatureFormat.LegacySignatureTag => ", signatures under .sig tags",
        _ => ", its default signature format",
    };
}

/// <summary>
/// cosign's verbs as Slipway uses them, one method each, by digest, with the flags the version needs; no decisions: a
/// non-zero exit comes back in the result. Keys reach cosign in its environment (<c>env://</c>), never on its command line.
/// The signature format is explicit from 3.0 on, so sign and verify always agree: <c>--new-bundle-format=true</c> (3.x's
/// default, written out); 2.x has no bundle signing for containers before 2.6 and keeps its default, <c>.sig</c> tags.
/// </summary>
public sealed partial class CosignCli(IProcessRunner runner, CosignOptions? options = null)
{
    public const string PublicKeyVariable = "COSIGN_PUBLIC_KEY";

    private readonly CosignOptions _options = options ?? new CosignOptions();
    private Task<CosignVersion>? _version;

    public string Executable => _options.Executable;

    /// <summary><c>cosign version</c>, read once per instance; null inside when it says no version cosign would.</summary>
    /// <exception cref="ToolFailedException">cosign could not be started.</exception>
    public Task<CosignVersion> VersionAsync(CancellationToken cancellationToken = default) =>
        _version ??= _options.Version is { } known ? Task.FromResult(new CosignVersion(known)) : ReadVersionAsync(cancellationToken);

    /// <summary><c>cosign sign --yes [--key env://COSIGN_PRIVATE_KEY] [--recursive] ... &lt;registry&gt;/&lt;repository&gt;@&lt;digest&gt;</c>.</summary>
    public async Task<ToolResult> SignAsync(OciReference byDigest, SigningIdentity identity, bool recursive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(byDigest);
        ArgumentNullException.ThrowIfNull(identity);
        var version = await VersionAsync(cancellationToken);
        List<string> arguments = ["sign", "--yes"];
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (identity is SigningIdentity.Key key)
        {
            arguments.AddRange(["--key", "env://" + SigningIdentities.PrivateKeyVariable]);
            environment[SigningIdentities.PrivateKeyVariable] = key.PrivateKey;
            // Always set, so cosign never stops to prompt for a password on a terminal.
            environment[SigningIdentities.PasswordVariable] = key.Password ?? string.Empty;
        }

        if (recursive)
            arguments.Add("--recursive");
        return await RunAsync(arguments, environment, byDigest, version, cancellationToken);
    }

    /// <summary><c>cosign verify</c> with the certificate identity and OIDC issuer (keyless) or <c>--key env://COSIGN_PUBLIC_KEY</c>; JSON on stdout.</summary>
    public async Task<ToolResult> VerifyAsync(OciReference byDigest, SignatureExpectation expectation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(byDigest);
        ArgumentNullException.ThrowIfNull(expectation);
        var version = await VersionAsync(cancellationToken);
        List<string> arguments = ["verify"];
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (expectation)
        {
            case SignatureExpectation.Keyless keyless:
                arguments.AddRange(["--certificate-identity", keyless.CertificateIdentity, "--certificate-oidc-issuer", keyless.OidcIssuer]);
                break;
            case SignatureExpectation.Key key:
                arguments.AddRange(["--key", "env://" + PublicKeyVariable]);
                environment[PublicKeyVariable] = key.PublicKey;
                break;
        }

        return await RunAsync(arguments, environment, byDigest, version, cancellationToken);
    }

    internal static Version? ParseVersion(string output)
    {
        var match = VersionPattern().Match(output);
        return match.Success ? new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value)) : null;
    }

    private async Task<CosignVersion> ReadVersionAsync(CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new ToolCommand(_options.Executable, "version") { ThrowOnFailure = false, StreamOutput = false, Timeout = TimeSpan.FromMinutes(1) }, cancellationToken);
        return new CosignVersion(result.Succeeded ? ParseVersion(result.StandardOutput + "\n" + result.StandardError) : null);
    }

    private Task<ToolResult> RunAsync(List<string> arguments, Dictionary<string, string?> environment, OciReference byDigest, CosignVersion version, CancellationToken cancellationToken)
    {
        if (byDigest.Digest is null)
            throw new ArgumentException($"cosign runs by digest only, got '{byDigest}'.", nameof(byDigest));
        if (version.Format == CosignSignatureFormat.SigstoreBundleReferrer)
            arguments.Add("--new-bundle-format=true");
        if (OciReference.IsLoopback(byDigest.Registry))
        {
            arguments.Add("--allow-insecure-registry");
            if (version.Version is null || version.Version >= CosignVersion.AllowHttpRegistrySince)
                arguments.Add("--allow-http-registry");
        }

        if (_options.DockerConfigDirectory is { } dockerConfig)
            environment["DOCKER_CONFIG"] = dockerConfig;
        arguments.Add($"{byDigest.Registry}/{byDigest.Repository}@{byDigest.Digest}");
        return runner.RunAsync(
            new ToolCommand(_options.Executable, arguments) { Environment = environment, ThrowOnFailure = false, StreamOutput = false, Timeout = _options.Timeout },
            cancellationToken);
    }

    [GeneratedRegex(@"GitVersion""?\s*[:=]\s*""?v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex VersionPattern();
}
