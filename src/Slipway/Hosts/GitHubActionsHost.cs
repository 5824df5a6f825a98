using Slipway.Execution;
using Slipway.Logging;

namespace Slipway.Hosts;

/// <summary>GitHub Actions: one ::group:: per target, annotations, tool output fenced by ::stop-commands::, step summary, outputs and masks.</summary>
public sealed class GitHubActionsHost(TextWriter writer, string? stepSummaryPath, string? outputPath) : BuildHost(writer)
{
    // Parallel targets cannot share the one open group Actions allows, so each target's lines are held and printed as one group when it ends.
    private readonly Dictionary<string, List<LogEntry>> _open = [];

    public override void Write(LogEntry entry)
    {
        if (entry.Level == LogLevel.Debug && !Verbose)
            return;
        lock (Gate)
        {
            if (entry.Target is not null && _open.TryGetValue(entry.Target, out var held))
                held.Add(entry);
            else
                WriteEntries([entry], entry.Target);
        }
    }

    public override void TargetStarted(string target, IReadOnlyCollection<string> running)
    {
        lock (Gate)
        {
            _open[target] = [];
            Writer.WriteLine($"▶ {target}");
        }
    }

    public override void TargetFinished(TargetOutcome outcome)
    {
        lock (Gate)
        {
            if (_open.Remove(outcome.Name, out var held))
            {
                Writer.WriteLine($"::group::{EscapeData(outcome.Name)} ({outcome.StatusText}, {RunReport.Format(outcome.Duration)})");
                WriteEntries(held, outcome.Name);
                Writer.WriteLine("::endgroup::");
            }

            if (outcome.Status == TargetStatus.Failed)
                Writer.WriteLine($"::error title={EscapeProperty(outcome.Name)}::{EscapeData($"{outcome.Name} {outcome.StatusText}")}");
            else if (outcome.Ran || outcome.Status == TargetStatus.Skipped)
                Writer.WriteLine($"{outcome.Name}: {outcome.StatusText}");
        }
    }

    public override void WriteSummary(RunReport report)
    {
        WriteLine(report.ToTable());
        if (!string.IsNullOrEmpty(stepSummaryPath))
            File.AppendAllText(stepSummaryPath, Redact(report.ToMarkdown()) + Environment.NewLine);
        WriteClosing(report);
    }

    public override void SetOutput(string name, string value)
    {
        Echo($"output {name}={value}");
        if (string.IsNullOrEmpty(outputPath))
            return;
        var delimiter = Delimiter();
        var masked = Redact(value);
        var line = masked.Contains('\n', StringComparison.Ordinal)
            ? $"{name}<<{delimiter}\n{masked}\n{delimiter}\n"
            : $"{name}={masked}\n";
        lock (Gate)
            File.AppendAllText(outputPath, line);
    }

    public override void AddMask(string secret)
    {
        lock (Gate)
        {
            foreach (var line in secret.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                RawWriter.WriteLine($"::add-mask::{line.TrimEnd('\r')}");
        }
    }

    public static string EscapeData(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    public static string EscapeProperty(string text) =>
        EscapeData(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);

    private void WriteEntries(IReadOnlyList<LogEntry> entries, string? target)
    {
        string? fence = null;
        foreach (var entry in entries)
        {
            if (entry.Level == LogLevel.Output)
            {
                if (fence is null)
                {
                    fence = Delimiter();
                    Writer.WriteLine($"::stop-commands::{fence}");
                }

                Writer.WriteLine(Prefixed(entry, target));
                continue;
            }

            if (fence is not null)
            {
                Writer.WriteLine($"::{fence}::");
                fence = null;
            }

            var title = target is null ? string.Empty : $" title={EscapeProperty(target)}";
            Writer.WriteLine(entry.Level switch
            {
                LogLevel.Error => $"::error{title}::{EscapeData(entry.Text)}",
                LogLevel.Warning => $"::warning{title}::{EscapeData(entry.Text)}",
                LogLevel.Debug => $"::debug::{EscapeData(entry.Text)}",
                _ => Prefixed(entry, target),
            });
        }

        if (fence is not null)
            Writer.WriteLine($"::{fence}::");
    }

    /// <summary>Every line of a target carries its name, also inside its group: a searched or copied line still says where it is from.</summary>
    private static string Prefixed(LogEntry entry, string? target) => target is null ? entry.Text : $"{target} │ {entry.Text}";

    private static string Delimiter() => "slipway-" + Guid.NewGuid().ToString("N");
}
