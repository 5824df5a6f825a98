using System.Text;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// The run summary's PR smoke section (the GitHub step summary in Actions): the steps and the smoke checks as tables.
/// Deliberately plain; the PR comment has its own, fuller rendering of the same result.
/// </summary>
public static class PrSmokeSummary
{
    public static string ToMarkdown(PrSmokeResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var builder = new StringBuilder();
        builder.AppendLine($"**{Name(result.Status)}**: {Cell(result.Version)} in `{Cell(result.Namespace ?? "no namespace")}`{(result.Image is { } image ? $", image `{Cell(image.Reference)}`" : string.Empty)}");
        builder.AppendLine();
        builder.AppendLine("| Step | Status | Duration | Detail |");
        builder.AppendLine("| --- | --- | ---: | --- |");
        foreach (var step in result.Steps)
            builder.AppendLine($"| {Name(step.Name)} | {Name(step.Status)} | {step.Duration.TotalSeconds:0.0} s | {Cell(step.Detail)} |");
        if (result.SmokeChecks.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("| Smoke check | Result | Detail |");
            builder.AppendLine("| --- | --- | --- |");
            foreach (var check in result.SmokeChecks)
                builder.AppendLine($"| {Cell(check.Name)} | {(check.Passed ? "ok" : "FAILED")} | {Cell(check.Detail)} |");
        }

        if (result.Diagnostics is { } diagnostics)
        {
            builder.AppendLine();
            builder.AppendLine($"Diagnostics in `{Cell(diagnostics.Location)}`:");
            builder.AppendLine();
            builder.AppendLine("```");
            builder.AppendLine(diagnostics.Summary.Replace("```", "'''", StringComparison.Ordinal));
            builder.AppendLine("```");
        }

        return builder.ToString();
    }

    private static string Name<T>(T value)
        where T : struct, Enum => StrictEnumConverter<T>.NameOf(value);

    /// <summary>One table cell: no line breaks, no pipes, no backticks that could close a code span.</summary>
    private static string Cell(string text) =>
        PrSmokeText.Fit(text, 400).ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal);
}
