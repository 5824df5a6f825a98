using System.Text.RegularExpressions;

namespace Slipway.Release.Oci;

/// <summary>
/// Transient faults read from what a registry tool (cosign, helm: Go programs) printed when it failed, as a last resort:
/// they exit 1 for every failure and do not expose the HTTP status they got otherwise. Transient: a registry or Sigstore
/// (Fulcio, Rekor) server error, 429, a timeout, a dropped connection; never an auth, input or verification error.
/// </summary>
public static partial class ToolOutputFaults
{
    /// <summary>The fault with the words that show it (for the retry's log line); null when the output reads permanent.</summary>
    public static TransientFault? Classify(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = DigestPattern().Replace(output, string.Empty);
        if (Verdict().IsMatch(text))
            return null;
        if (ServerTrouble().Match(text) is { Success: true } trouble)
            return new TransientFault($"'{trouble.Value.Trim()}' in its output");
        return SigstoreService().Match(text) is { Success: true } service && !ClientError().IsMatch(text)
            ? new TransientFault($"a {service.Value} failure in its output")
            : null;
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();

    // cosign's verification verdicts: the answer itself, however the registry behaved on the way.
    [GeneratedRegex("no matching signatures|no signatures found|no matching attestations|none of the expected identities matched|no matching CertificateIdentity|signature mismatch|invalid signature", RegexOptions.IgnoreCase)]
    private static partial Regex Verdict();

    // A 5xx status: three digits standing alone, not part of a digest, an address, a path or a version.
    [GeneratedRegex(@"(?<![\w@./-])(?<!sha256:)5\d\d(?![\w./-])|timeout|timed out|connection reset|broken pipe|unexpected EOF|bad gateway|service unavailable|gateway time-?out|too many requests|\b429\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex ServerTrouble();

    [GeneratedRegex("fulcio|rekor", RegexOptions.IgnoreCase)]
    private static partial Regex SigstoreService();

    [GeneratedRegex(@"\b4(?:00|01|03|04|09|22)\b|unauthori[sz]ed|forbidden|invalid|denied", RegexOptions.IgnoreCase)]
    private static partial Regex ClientError();
}
