using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Release.Helm.Coverage;

/// <summary>The coverage result as a terminal table, JSON and a Markdown section.</summary>
public static class ChartCoverageReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>One line per template, a total, then every branch never rendered or not measurable.</summary>
    public static IReadOnlyList<string> ToTable(ChartCoverageResult result)
    {
        var width = Math.Max("Template".Length, result.Templates.Select(template => template.File.Length).DefaultIfEmpty(0).Max());
        var lines = new List<string>
        {
            $"{"Template".PadRight(width)}  {"Rendered",8}  {"Total",5}  {"Not measurable",14}",
            new('─', width + 35),
        };
        foreach (var template in result.Templates)
            lines.Add($"{template.File.PadRight(width)}  {template.Rendered,8}  {template.Total,5}  {template.NotMeasurable,14}");
        lines.Add(new string('─', width + 35));
        lines.Add($"{"Total".PadRight(width)}  {result.Rendered,8}  {result.Total,5}  {result.NotMeasurable,14}   {Percent(result)} of measurable branches over {result.Cases.Count} cases");
        foreach (var branch in result.Uncovered)
            lines.Add($"never rendered: {branch.Location} ({branch.Side}) {branch.Branch}");
        foreach (var branch in result.Branches.Where(branch => branch.Status == BranchStatus.NotMeasurable))
            lines.Add($"not measurable: {branch.Location} ({branch.Side}) {branch.Branch}: {string.Join("; ", branch.NotMeasurable.Select(reason => $"{reason.Case}: {reason.Reason}"))}");
        return lines;
    }

    public static string ToJson(ChartCoverageResult result) => JsonSerializer.Serialize(new
    {
        result.Chart,
        result.Cases,
        Summary = new { result.Total, result.Rendered, NotRendered = result.Uncovered.Count, result.NotMeasurable, result.Percent },
        Templates = result.Templates.Select(template => new { template.File, template.Total, template.Rendered, template.NotMeasurable, template.Branches }),
    }, Json);

    public static string ToMarkdown(ChartCoverageResult result)
    {
        var builder = new StringBuilder();
        builder.AppendLine(CultureInfo.InvariantCulture, $"**{result.Rendered} of {result.Measurable} measurable branches rendered ({Percent(result)})** over {result.Cases.Count} cases; {result.NotMeasurable} not measurable.");
        builder.AppendLine();
        builder.AppendLine("| Template | Rendered | Total | Not measurable |");
        builder.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var template in result.Templates)
            builder.AppendLine(CultureInfo.InvariantCulture, $"| `{template.File}` | {template.Rendered} | {template.Total} | {template.NotMeasurable} |");
        var problems = result.Branches.Where(branch => branch.Status != BranchStatus.Rendered).ToList();
        if (problems.Count > 0)
        {
            builder.AppendLine();
            builder.AppendLine("| Branch | Side | Condition | Status |");
            builder.AppendLine("| --- | --- | --- | --- |");
            foreach (var branch in problems)
            {
                var status = branch.Status == BranchStatus.NotRendered
                    ? "never rendered"
                    : "not measurable: " + string.Join("; ", branch.NotMeasurable.Select(reason => $"{reason.Case}: {reason.Reason}"));
                builder.AppendLine(CultureInfo.InvariantCulture, $"| `{branch.Location}` | {branch.Side} | `{Cell(branch.Branch)}` | {Cell(status)} |");
            }
        }

        return builder.ToString();
    }

    public static string Percent(ChartCoverageResult result) => result.Percent.ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
