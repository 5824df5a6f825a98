using System.Globalization;
using System.Text;

namespace Slipway.Execution;

/// <summary>The end-of-run summary: the target table, the timeline, sections targets add, and closing lines.</summary>
public sealed class RunReport
{
    /// <summary>A failure's first line is cut here in the summary (the full message is in the target's output above it); skip reasons are the build's own words and stay whole.</summary>
    public const int StatusWidth = 60;

    private readonly List<(string Title, string Markdown)> _sections = [];
    private readonly List<(string Key, string Line)> _closingLines = [];
    private readonly object _gate = new();

    public IReadOnlyList<TargetOutcome> Outcomes { get; internal set; } = [];

    public TimeSpan Duration { get; internal set; }

    public int ExitCode { get; internal set; }

    public string Verdict { get; internal set; } = string.Empty;

    /// <summary>A Markdown section for the run summary (GitHub step summary in Actions).</summary>
    public void AddSection(string title, string markdown)
    {
        lock (_gate)
            _sections.Add((title, markdown));
    }

    /// <summary>Sets a plain line printed last, after the summary table (such as a test count); a later call with the same key replaces it.</summary>
    public void SetClosingLine(string key, string line)
    {
        lock (_gate)
        {
            var index = _closingLines.FindIndex(existing => existing.Key == key);
            if (index >= 0)
                _closingLines[index] = (key, line);
            else
                _closingLines.Add((key, line));
        }
    }

    public IReadOnlyList<string> ClosingLines
    {
        get
        {
            lock (_gate)
                return [.. _closingLines.Select(item => item.Line)];
        }
    }

    public string ToTable()
    {
        var nameWidth = Math.Max("Target".Length, Outcomes.Select(outcome => outcome.Name.Length).DefaultIfEmpty(0).Max());
        var statusWidth = Math.Max("Status".Length, Outcomes.Select(outcome => StatusOf(outcome).Length).DefaultIfEmpty(0).Max());
        var builder = new StringBuilder();
        var rule = new string('─', nameWidth + statusWidth + 14);
        builder.AppendLine(rule);
        builder.AppendLine($"{"Target".PadRight(nameWidth)}  {"Status".PadRight(statusWidth)}  {"Duration",10}");
        builder.AppendLine(rule);
        foreach (var outcome in Outcomes)
            builder.AppendLine($"{outcome.Name.PadRight(nameWidth)}  {StatusOf(outcome).PadRight(statusWidth)}  {(outcome.Ran ? Format(outcome.Duration) : string.Empty),10}");
        builder.AppendLine(rule);
        builder.AppendLine($"{"Total".PadRight(nameWidth)}  {string.Empty.PadRight(statusWidth)}  {Format(Duration),10}");
        builder.Append(rule);
        return builder.ToString();
    }

    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.AppendLine($"### {Verdict}");
        builder.AppendLine();
        builder.AppendLine("| Target | Status | Duration |");
        builder.AppendLine("| --- | --- | ---: |");
        foreach (var outcome in Outcomes)
            builder.AppendLine($"| {outcome.Name} | {Escape(StatusOf(outcome))} | {(outcome.Ran ? Format(outcome.Duration) : string.Empty)} |");
        builder.AppendLine($"| **Total** | | {Format(Duration)} |");
        builder.AppendLine();
        builder.AppendLine(Gantt());
        lock (_gate)
        {
            foreach (var (title, markdown) in _sections)
            {
                builder.AppendLine();
                builder.AppendLine($"#### {title}");
                builder.AppendLine();
                builder.AppendLine(markdown.TrimEnd());
            }
        }

        return builder.ToString();
    }

    /// <summary>A Mermaid gantt chart of when each target ran, in milliseconds from the start of the run.</summary>
    public string Gantt()
    {
        var builder = new StringBuilder();
        builder.AppendLine("```mermaid");
        builder.AppendLine("gantt");
        builder.AppendLine("    title Run timeline");
        builder.AppendLine("    dateFormat x");
        builder.AppendLine("    axisFormat %M:%S");
        builder.AppendLine("    section Targets");
        foreach (var (outcome, index) in Outcomes.Where(outcome => outcome.Ran).Select((outcome, index) => (outcome, index)))
        {
            var tag = outcome.Status == TargetStatus.Succeeded ? "done" : "crit";
            var start = (long)outcome.Started.TotalMilliseconds;
            var end = start + Math.Max(1, (long)outcome.Duration.TotalMilliseconds);
            builder.AppendLine(CultureInfo.InvariantCulture, $"    {outcome.Name} : {tag}, t{index}, {start}, {end}");
        }

        builder.Append("```");
        return builder.ToString();
    }

    public static string Format(TimeSpan duration) =>
        duration.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes}:{duration.Seconds:00}.{duration.Milliseconds / 100}")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.0} s");

    private static string StatusOf(TargetOutcome outcome) =>
        outcome.Status != TargetStatus.Failed || outcome.StatusText.Length <= StatusWidth ? outcome.StatusText : outcome.StatusText[..(StatusWidth - 1)] + "…";

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);
}
