using System.Text.Json;
using Slipway.Logging;
using Slipway.Release.Oci;
using Slipway.Secrets;

namespace Slipway.Release.Signing;

/// <summary>What VerifySignature proved: every signed manifest, by digest, verifies against <see cref="Against"/>.</summary>
public sealed record SignatureVerification(IReadOnlyList<string> Verified, SignatureExpectation Against, CosignVersion Cosign)
{
    public bool Equals(SignatureVerification? other) => other is not null && Verified.SequenceEqual(other.Verified) && Against == other.Against && Cosign == other.Cosign;

    public override int GetHashCode() => HashCode.Combine(Verified.Count, Against);
}

/// <summary>A signature that does not verify; the message names the digest and what it was checked against.</summary>
public sealed class SignatureNotVerifiedException(string message) : Exception(message);

/// <summary>
/// The VerifySignature stage: <c>cosign verify</c> of every signed digest against the expected identity, one at a time,
/// transient registry faults retried under the shared policy. cosign's exit code alone is not trusted: its JSON must name
/// the very digest that was asked for (<c>critical.image.docker-manifest-digest</c>, in both cosign 2's simple-signing
/// payloads and the statements cosign 3 reads from bundles). Every digest is tried, and all that fail are reported together.
/// </summary>
public sealed class SignatureVerifier(CosignCli cosign, RegistryRetry retry, IBuildLog log, SecretRegistry secrets)
{
    public async Task<SignatureVerification> VerifyAsync(IReadOnlyList<string> signed, SignatureExpectation expectation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signed);
        ArgumentNullException.ThrowIfNull(expectation);
        if (signed.Count == 0)
            throw new ArgumentException("Nothing to verify: no signed references given.", nameof(signed));
        var version = await cosign.VersionAsync(cancellationToken);
        var against = expectation.Issuer is { } issuer ? $"certificate identity {expectation.Identity}, OIDC issuer {issuer}" : expectation.Identity;
        log.Info($"Verifying {signed.Count} signed manifest{(signed.Count == 1 ? string.Empty : "s")} against {against} with {version.Describe()}");
        var verified = new List<string>();
        var failures = new List<string>();
        foreach (var text in signed)
        {
            var reference = OciReference.Parse(text);
            if (await VerifyOneAsync(reference, text, expectation, cancellationToken) is { } failure)
            {
                failures.Add(failure);
                log.Error(failure);
            }
            else
            {
                verified.Add(text);
                log.Info($"Verified {text}");
            }
        }

        if (failures.Count > 0)
        {
            throw new SignatureNotVerifiedException(
                $"{failures.Count} of {signed.Count} signatures do not verify against {against}: {string.Join(" ", failures)} " +
                "Nothing is unpublished: the registry holds them as pushed. Next step: check that the signing identity is the one expected " +
                "(--certificate-identity, --cosign-public-key), then publish again: pushes of the same content are no-ops and signing runs again.");
        }

        return new SignatureVerification(verified, expectation, version);
    }

    /// <summary>Null when verified; else why not, naming the digest.</summary>
    private async Task<string?> VerifyOneAsync(OciReference reference, string text, SignatureExpectation expectation, CancellationToken cancellationToken)
    {
        try
        {
            var result = await retry.RunAsync($"cosign verify {text}", token => CosignRuns.RunAsync(() => cosign.VerifyAsync(reference, expectation, token), secrets), cancellationToken);
            var digests = VerifiedDigests(result.StandardOutput);
            return digests.Contains(reference.Digest!)
                ? null
                : $"{reference.Digest} ({text}): cosign exited 0 but its output names {(digests.Count == 0 ? "no verified manifest" : string.Join(", ", digests))}.";
        }
        catch (RetriesExhaustedException exhausted)
        {
            return $"{reference.Digest} ({text}) could not be checked: {secrets.Redact(exhausted.Message)}.";
        }
        catch (CosignFailedException failed)
        {
            return $"{reference.Digest} ({text}) does not verify: cosign {failed.Message}.";
        }
    }

    /// <summary>The manifest digests cosign's JSON output says it verified; empty when it is not that JSON.</summary>
    internal static IReadOnlyList<string> VerifiedDigests(string output)
    {
        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
                return [];
            return [.. document.RootElement.EnumerateArray()
                .Select(entry => entry.TryGetProperty("critical", out var critical)
                    && critical.TryGetProperty("image", out var image)
                    && image.TryGetProperty("docker-manifest-digest", out var digest)
                        ? digest.GetString()
                        : null)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
