using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Release.PrSmoke;

namespace Slipway.Release.GitHub;

/// <summary>Which result a PR comment shows: the commit and the run (id and attempt; 0 for a local run) that wrote it.</summary>
public sealed record PrCommentStamp(string HeadSha, long RunId, int RunAttempt)
{
    public static PrCommentStamp Of(PrSmokeResult result) => new(result.HeadSha, result.Run?.Id ?? 0, result.Run?.Attempt ?? 0);

    /// <summary>A later run of the same commit: a higher run id (a new run), or the same run re-run (a higher attempt).</summary>
    public bool IsLaterRunThan(PrCommentStamp other) => (RunId, RunAttempt).CompareTo((other.RunId, other.RunAttempt)) > 0;
}

/// <summary>
/// The body of the one PR smoke comment: a hidden first line that marks it and stamps which result it shows, then the
/// result as Markdown, the whole below GitHub's 65,536 characters.
/// </summary>
public static partial class PrCommentBody
{
    /// <summary>The start of the hidden first line; anyone can write it, so a comment counts only when the token's own account wrote it too.</summary>
    public const string Marker = "<!-- slipway:pr-smoke ";

    /// <summary>GitHub refuses a comment body above 65,536 characters; this leaves room for how it counts.</summary>
    public const int MaxLength = 65_000;

    public static string Compose(PrSmokeResult result)
    {
        var stamp = PrCommentStamp.Of(result);
        var header = string.Create(CultureInfo.InvariantCulture, $"{Marker}head-sha={stamp.HeadSha} run-id={stamp.RunId} run-attempt={stamp.RunAttempt} -->\n");
        return header + PrSmokeMarkdown.Render(result, MaxLength - header.Length);
    }

    /// <summary>Whether the body carries the marker on its first line (where only a marked body has it).</summary>
    public static bool IsMarked(string body) => body.StartsWith(Marker, StringComparison.Ordinal);

    /// <summary>The stamp of a marked body; null when its first line is not one this version writes.</summary>
    public static PrCommentStamp? StampOf(string body)
    {
        var match = StampPattern().Match(body);
        return match.Success
               && long.TryParse(match.Groups["run"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var run)
               && int.TryParse(match.Groups["attempt"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt)
            ? new PrCommentStamp(match.Groups["sha"].Value, run, attempt)
            : null;
    }

    [GeneratedRegex(@"\A<!-- slipway:pr-smoke head-sha=(?<sha>[0-9a-f]{40}) run-id=(?<run>\d{1,19}) run-attempt=(?<attempt>\d{1,9}) -->\r?\n")]
    private static partial Regex StampPattern();
}
