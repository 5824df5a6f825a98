using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Release.PrSmoke;

/// <summary>Which run of which pull request this is: what the lane's names and labels are made from.</summary>
/// <param name="PullRequest">Null for a local run.</param>
/// <param name="RunId">GitHub Actions' run id (<c>GITHUB_RUN_ID</c>); null outside Actions.</param>
/// <param name="RunAttempt">GitHub Actions' run attempt (<c>GITHUB_RUN_ATTEMPT</c>); null outside Actions.</param>
public sealed record PrSmokeRunKey(int? PullRequest, long? RunId, int? RunAttempt)
{
    /// <exception cref="ArgumentOutOfRangeException">A number that is not positive.</exception>
    public PrSmokeRunKey Validated() =>
        PullRequest is <= 0 ? throw new ArgumentOutOfRangeException(nameof(PullRequest), PullRequest, "A pull request number is 1 or more.")
        : RunId is <= 0 ? throw new ArgumentOutOfRangeException(nameof(RunId), RunId, "A run id is 1 or more.")
        : RunAttempt is <= 0 ? throw new ArgumentOutOfRangeException(nameof(RunAttempt), RunAttempt, "A run attempt is 1 or more.")
        : this;
}

/// <summary>
/// The names a PR smoke run gives what it creates. Whatever the inputs: the namespace is a DNS-1123 label of at most 63
/// characters, the release a helm release name of at most 53 and never equal to the namespace, the kind cluster at most
/// 50 characters of <c>[a-z0-9.-]</c> (kind warns above that). Each keeps the random suffix whole, so two runs never
/// collide; what gets shortened when a name would be too long is the run id, then the pull request number.
/// </summary>
public static class PrSmokeNames
{
    public const int NamespaceMaxLength = 63;
    public const int ReleaseMaxLength = 53;
    public const int KindClusterMaxLength = 50;
    public const int SuffixLength = 5;

    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Five random characters of <c>[a-z0-9]</c>.</summary>
    public static string RandomSuffix() => new(RandomNumberGenerator.GetItems<char>(SuffixAlphabet, SuffixLength));

    /// <summary><c>pr-&lt;n&gt;-&lt;run id&gt;-&lt;attempt&gt;-&lt;suffix&gt;</c>, or <c>local-&lt;suffix&gt;</c> outside a pull request.</summary>
    public static string Namespace(PrSmokeRunKey run, string suffix) => Join(Parts(run), CheckSuffix(suffix), NamespaceMaxLength);

    /// <summary>The kind cluster named for the run (no random part: a re-run of the same attempt finds it): <c>slipway-pr-&lt;n&gt;-&lt;run id&gt;-&lt;attempt&gt;</c>.</summary>
    public static string KindCluster(PrSmokeRunKey run)
    {
        var parts = Parts(run);
        return Join(["slipway", .. parts[..^1]], parts[^1], KindClusterMaxLength);
    }

    /// <summary>The chart's name made DNS-safe and cut to fit, then the suffix: <c>&lt;chart&gt;-&lt;suffix&gt;</c>.</summary>
    public static string Release(string chartName, string suffix, string namespaceName)
    {
        ArgumentNullException.ThrowIfNull(chartName);
        var chart = Sanitize(chartName);
        var release = Join([chart.Length == 0 ? "release" : chart], CheckSuffix(suffix), ReleaseMaxLength);
        // A chart named like the lane's namespaces (pr-...) must still not give the namespace's own name.
        return release == namespaceName ? Join(["rel", chart], suffix, ReleaseMaxLength) : release;
    }

    private static string CheckSuffix(string suffix) =>
        suffix is { Length: SuffixLength } && suffix.All(SuffixAlphabet.Contains)
            ? suffix
            : throw new ArgumentException($"The suffix must be {SuffixLength} characters of [a-z0-9], got '{suffix}'.", nameof(suffix));

    /// <summary>The identifying parts, most general first; the last one is never shortened.</summary>
    private static List<string> Parts(PrSmokeRunKey run)
    {
        var key = run.Validated();
        List<string> parts = [key.PullRequest is { } number ? "pr-" + Number(number) : "local"];
        if (key.RunId is { } runId)
            parts.Add(Number(runId));
        if (key.RunId is not null && key.RunAttempt is { } attempt)
            parts.Add(Number(attempt));
        return parts;
    }

    /// <summary>Joins with '-', shortening the earlier parts from their start (keeping their distinctive ends) until it fits.</summary>
    private static string Join(IReadOnlyList<string> parts, string last, int maxLength)
    {
        var kept = parts.Where(part => part.Length > 0).ToList();
        while (true)
        {
            var joined = string.Join('-', [.. kept, last]);
            if (joined.Length <= maxLength)
                return joined;
            var excess = joined.Length - maxLength;
            // Shorten the longest part first; drop a part that shrinks to nothing.
            var longest = kept.Select((part, index) => (part, index)).MaxBy(item => item.part.Length).index;
            var part = kept[longest];
            var shorter = part.Length > excess ? part[excess..].TrimStart('-') : string.Empty;
            if (shorter.Length == 0)
                kept.RemoveAt(longest);
            else
                kept[longest] = shorter;
        }
    }

    /// <summary>Lower case letters and digits, runs of anything else as one '-', no '-' at either end.</summary>
    private static string Sanitize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text.ToLowerInvariant())
        {
            if (character is >= 'a' and <= 'z' or >= '0' and <= '9')
                builder.Append(character);
            else if (builder.Length > 0 && builder[^1] != '-')
                builder.Append('-');
        }

        var sanitized = builder.ToString().Trim('-');
        // Room for "-" and the suffix.
        var room = ReleaseMaxLength - SuffixLength - 1;
        return sanitized.Length <= room ? sanitized : sanitized[..room].TrimEnd('-');
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
