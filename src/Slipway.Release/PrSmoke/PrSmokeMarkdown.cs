using System.Globalization;
using System.Text;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// A PR smoke result as GitHub Markdown: the PR lane's step summary and the body of its PR comment. Every value from the
/// result is untrusted text (a fork's run wrote it): it is shown only inside code spans or a fenced block, where Markdown,
/// HTML, links and @-mentions are not interpreted; the run link is shown only as the reader validated it.
/// </summary>
public static class PrSmokeMarkdown
{
    /// <summary>How long a detail and the diagnostics summary may be at each level of shortening, fullest first.</summary>
    private static readonly (int Detail, int Summary)[] Levels = [(500, PrSmokeLimits.DiagnosticsSummary), (200, 2000), (60, 300), (0, 0)];

    /// <summary>
    /// The result as Markdown of at most <paramref name="maxLength"/> characters. When the whole does not fit, the least
    /// important parts go first (the diagnostics summary, then the step and check details), and a note says so; status,
    /// steps, durations and the image digest always stay.
    /// </summary>
    public static string Render(PrSmokeResult result, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1000);
        for (var level = 0; level < Levels.Length; level++)
        {
            var shortened = level > 0 ? ShortenedNote(Levels[level].Detail) : string.Empty;
            var markdown = Compose(result, Levels[level].Detail, Levels[level].Summary, shortened);
            if (markdown.Length <= maxLength)
                return markdown;
        }

        // Only reachable with a very small limit: cut whole lines and say so.
        var note = ShortenedNote(0);
        var whole = Compose(result, 0, 0, string.Empty);
        var cut = whole.LastIndexOf('\n', maxLength - note.Length - 2);
        return whole[..Math.Max(cut, 0)] + "\n\n" + note;
    }

    /// <summary>A bold one-line verdict, e.g. for a log line or a notification.</summary>
    public static string Verdict(PrSmokeStatus status) => status switch
    {
        PrSmokeStatus.Passed => "✅ passed",
        PrSmokeStatus.Failed => "❌ failed",
        _ => "⚠️ cancelled",
    };

    private static string Compose(PrSmokeResult result, int detailLength, int summaryLength, string shortenedNote)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"## PR smoke {Verdict(result.Status)}\n\n");
        text.Append(Headline(result)).Append("\n\n");
        AppendDeployment(text, result);
        AppendSteps(text, result.Steps, detailLength);
        AppendChecks(text, result.SmokeChecks, detailLength);
        AppendDiagnostics(text, result.Diagnostics, summaryLength);
        if (shortenedNote.Length > 0)
            text.Append(shortenedNote).Append('\n');
        return text.ToString();
    }

    private static string Headline(PrSmokeResult result)
    {
        var parts = new List<string>();
        if (result.PullRequest is { } number)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Pull request #{number}"));
        parts.Add($"commit {Code(result.HeadSha)}");
        parts.Add($"version {Code(result.Version)}");
        if (result.Run is { } run)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"[run {run.Id}, attempt {run.Attempt}]({run.Url})"));
        parts.Add($"{Duration(result.FinishedAt - result.StartedAt)}, finished {result.FinishedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC");
        return string.Join(" · ", parts);
    }

    private static void AppendDeployment(StringBuilder text, PrSmokeResult result)
    {
        text.Append("| | |\n| --- | --- |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Image | {(result.Image is { } image ? $"{CellCode(image.Reference)}<br>{CellCode(image.Digest)}" : "(none)")} |\n");
        var cluster = result.Cluster is { } c
            ? $"{StatusName(c.Mode.ToString())} {CellCode(c.Context)}{(c.ServerVersion is { } version ? $" {CellCode(version)}" : string.Empty)}"
            : "(none)";
        text.Append(CultureInfo.InvariantCulture, $"| Cluster | {cluster} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Namespace | {(result.Namespace is { } ns ? CellCode(ns) : "(none)")} |\n");
        text.Append(CultureInfo.InvariantCulture, $"| Release | {(result.ReleaseName is { } release ? CellCode(release) : "(none)")} |\n\n");
    }

    private static void AppendSteps(StringBuilder text, IReadOnlyList<PrSmokeStep> steps, int detailLength)
    {
        text.Append("### Steps\n\n");
        text.Append(detailLength > 0 ? "| Step | Status | Duration | Detail |\n| --- | --- | ---: | --- |\n" : "| Step | Status | Duration |\n| --- | --- | ---: |\n");
        foreach (var step in steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {StatusName(step.Name.ToString())} | {StepStatus(step.Status)} | {(step.Status == PrSmokeStepStatus.Skipped ? "–" : Duration(step.Duration))} |");
            if (detailLength > 0)
                text.Append(' ').Append(CellCode(step.Detail, detailLength)).Append(" |");
            text.Append('\n');
        }

        text.Append('\n');
    }

    private static void AppendChecks(StringBuilder text, IReadOnlyList<PrSmokeCheck> checks, int detailLength)
    {
        text.Append("### Smoke checks\n\n");
        if (checks.Count == 0)
        {
            text.Append("None ran.\n\n");
            return;
        }

        text.Append(detailLength > 0 ? "| Check | Result | Detail |\n| --- | --- | --- |\n" : "| Check | Result |\n| --- | --- |\n");
        foreach (var check in checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {CellCode(check.Name)} | {(check.Passed ? "✅ passed" : "❌ failed")} |");
            if (detailLength > 0)
                text.Append(' ').Append(CellCode(check.Detail, detailLength)).Append(" |");
            text.Append('\n');
        }

        text.Append('\n');
    }

    private static void AppendDiagnostics(StringBuilder text, PrSmokeDiagnostics? diagnostics, int summaryLength)
    {
        if (diagnostics is null)
            return;
        text.Append("### Diagnostics\n\n");
        text.Append(CultureInfo.InvariantCulture, $"Events, describes, logs and helm status/history: {Code(diagnostics.Location)} in the run's artifacts.\n\n");
        if (summaryLength > 0 && diagnostics.Summary.Length > 0)
        {
            var summary = PrSmokeText.Fit(diagnostics.Summary, summaryLength);
            var fence = new string('`', Math.Max(3, LongestRun(summary, '`') + 1));
            text.Append("<details><summary>Summary</summary>\n\n").Append(fence).Append("text\n").Append(summary).Append('\n').Append(fence).Append("\n\n</details>\n\n");
        }
    }

    private static string ShortenedNote(int detailLength) =>
        detailLength > 0
            ? string.Create(CultureInfo.InvariantCulture, $"> [!NOTE]\n> Shortened to fit GitHub's limit: details are cut at {detailLength} characters. The whole result is `pr-smoke.json` in the run's artifacts.\n")
            : "> [!NOTE]\n> Shortened to fit GitHub's limit: details and the diagnostics summary are left out. The whole result is `pr-smoke.json` in the run's artifacts.\n";

    private static string StepStatus(PrSmokeStepStatus status) => status switch
    {
        PrSmokeStepStatus.Passed => "✅ passed",
        PrSmokeStepStatus.Failed => "❌ failed",
        PrSmokeStepStatus.Cancelled => "⚠️ cancelled",
        _ => "skipped",
    };

    private static string StatusName(string name) => name.ToLowerInvariant();

    private static string Duration(TimeSpan duration) =>
        duration.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s");

    /// <summary>Untrusted text as an inline code span outside a table.</summary>
    private static string Code(string value) => Span(value, int.MaxValue, escapePipes: false);

    /// <summary>Untrusted text as a code span inside a table cell, where a pipe would end the cell.</summary>
    private static string CellCode(string value, int maxLength = int.MaxValue) => Span(value, maxLength, escapePipes: true);

    /// <summary>
    /// One line in a code span: backticks become a look-alike so the span cannot be closed early, line ends become ⏎;
    /// empty text shows nothing (an empty span would render its backticks).
    /// </summary>
    private static string Span(string value, int maxLength, bool escapePipes)
    {
        if (value.Length == 0)
            return string.Empty;
        var line = PrSmokeText.Fit(value, Math.Max(maxLength, 2)).Replace('`', 'ˋ').Replace("\n", " ⏎ ", StringComparison.Ordinal).Replace('\t', ' ');
        if (escapePipes)
            line = line.Replace("|", "\\|", StringComparison.Ordinal);
        return $"` {line} `";
    }

    private static int LongestRun(string text, char character)
    {
        int longest = 0, current = 0;
        foreach (var c in text)
        {
            current = c == character ? current + 1 : 0;
            longest = Math.Max(longest, current);
        }

        return longest;
    }
}
