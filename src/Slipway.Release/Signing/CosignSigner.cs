using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Signing;

/// <summary>
/// One thing to sign: a reference that carries a digest; <paramref name="Recursive"/> also signs every manifest of an image
/// index, which <see cref="Manifests"/> lists (by digest) so that each can be verified on its own.
/// </summary>
public sealed record SignTarget(string Reference, bool Recursive = false)
{
    public IReadOnlyList<string> Manifests { get; init; } = [];
}

/// <summary>
/// The Sign stage: cosign, always by digest, keyless with the CI's OIDC identity or with a key passed in cosign's
/// environment. Transient Sigstore or registry failures are retried under the shared <see cref="RegistryRetry"/> policy;
/// anything else fails at once, naming what was signed before it.
/// </summary>
public sealed class CosignSigner(CosignCli cosign, RegistryRetry retry, IBuildLog log, SecretRegistry secrets)
{
    public const string ByDigestOnly = "sign by digest, never by tag";

    /// <summary>
    /// Signs every target by digest with <paramref name="identity"/>. Every reference is checked before anything is signed: one
    /// without a digest is refused with <see cref="ArgumentException"/>. Whether to sign at all is <see cref="SigningDecision"/>'s call.
    /// </summary>
    public async Task<SigningOutcome> SignAsync(IReadOnlyList<SignTarget> targets, SigningIdentity identity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(identity);
        var references = targets.Select(target => (Target: target, Reference: ByDigest(target.Reference))).ToList();
        if (references.Count == 0)
            throw new ArgumentException("Nothing to sign: no references given.", nameof(targets));

        if (identity is SigningIdentity.Key key)
        {
            secrets.Register(key.PrivateKey);
            secrets.Register(key.Password);
        }

        CosignVersion version;
        try
        {
            version = await cosign.VersionAsync(cancellationToken);
        }
        catch (ToolFailedException exception)
        {
            log.Error(exception.Message);
            return new SigningOutcome.Failed(exception.Message);
        }

        if (version.Version is null)
            log.Warning($"Could not read the version of {cosign.Executable}; signing with its defaults, as with cosign 2 or later.");
        var signed = new List<string>();
        var covered = new List<string>();
        foreach (var (target, reference) in references)
        {
            var text = $"{reference.Registry}/{reference.Repository}@{reference.Digest}";
            log.Info($"Signing {text} ({identity.Mode.ToString().ToLowerInvariant()}{(target.Recursive ? ", recursive" : string.Empty)}) with {version.Describe()}");
            var failure = await SignOneAsync(reference, text, identity, target.Recursive, cancellationToken);
            if (failure is not null)
            {
                var already = signed.Count == 0 ? " Nothing was signed." : $" Already signed: {string.Join(", ", signed)}.";
                log.Error(failure + already);
                return new SigningOutcome.Failed(failure + already);
            }

            signed.Add(text);
            covered.Add(text);
            covered.AddRange(target.Manifests.Where(manifest => manifest != text));
        }

        return new SigningOutcome.Signed(signed, identity.Mode) { Covered = covered, Cosign = version };
    }

    private static OciReference ByDigest(string text)
    {
        if (!OciReference.TryParse(text, out var reference, out var error))
            throw new ArgumentException($"Cannot sign '{text}': {error}", "targets");
        if (reference.Digest is null)
            throw new ArgumentException($"Refusing to sign '{text}': {ByDigestOnly}. Give it as {reference.Registry}/{reference.Repository}@sha256:<digest>.", "targets");
        return reference;
    }

    /// <summary>Null when signed; else why not (already redacted).</summary>
    private async Task<string?> SignOneAsync(OciReference reference, string text, SigningIdentity identity, bool recursive, CancellationToken cancellationToken)
    {
        try
        {
            await retry.RunAsync($"cosign sign {text}", async token =>
            {
                var result = await CosignRuns.RunAsync(() => cosign.SignAsync(reference, identity, recursive, token), secrets);
                log.Debug(secrets.Redact(result.StandardError.Trim()));
            }, cancellationToken);
            return null;
        }
        catch (RetriesExhaustedException exhausted)
        {
            return $"cosign could not sign {text}: {secrets.Redact(exhausted.Message)}";
        }
        catch (CosignFailedException failed)
        {
            return $"cosign could not sign {text}: {failed.Message}";
        }
    }
}
