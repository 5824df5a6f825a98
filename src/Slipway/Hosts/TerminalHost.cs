using Slipway.Execution;
using Slipway.Logging;

namespace Slipway.Hosts;

/// <summary>A local terminal: target-prefixed lines, progress as targets start and finish, colour where supported, a summary table.</summary>
public sealed class TerminalHost(TextWriter writer, bool colour) : BuildHost(writer)
{
    private const string Reset = "\u001b[0m";
    private const string Dim = "\u001b[2m";
    private const string Red = "\u001b[31m";
    private const string Green = "\u001b[32m";
    private const string Yellow = "\u001b[33m";
    private const string Cyan = "\u001b[36m";

    private int _prefixWidth = 12;

    public override void Write(LogEntry entry)
    {
        if (entry.Level == LogLevel.Debug && !Verbose)
            return;

        var text = entry.Level switch
        {
            LogLevel.Error => Paint(Red, $"error: {entry.Text}"),
            LogLevel.Warning => Paint(Yellow, $"warning: {entry.Text}"),
            LogLevel.Debug => Paint(Dim, entry.Text),
            _ => entry.Text,
        };
        lock (Gate)
        {
            if (entry.Target is null)
            {
                Writer.WriteLine(text);
                return;
            }

            _prefixWidth = Math.Max(_prefixWidth, entry.Target.Length);
            Writer.WriteLine($"{Paint(Cyan, entry.Target.PadRight(_prefixWidth))} │ {text}");
        }
    }

    public override void TargetStarted(string target, IReadOnlyCollection<string> running)
    {
        var others = running.Where(name => name != target).ToList();
        WriteLine(Paint(Cyan, $"▶ {target}") + (others.Count > 0 ? Paint(Dim, $"  (also running: {string.Join(", ", others)})") : string.Empty));
    }

    public override void TargetFinished(TargetOutcome outcome)
    {
        var line = outcome.Status switch
        {
            TargetStatus.Succeeded => Paint(Green, $"✔ {outcome.Name} succeeded in {RunReport.Format(outcome.Duration)}"),
            TargetStatus.Failed => Paint(Red, $"✖ {outcome.Name} failed after {RunReport.Format(outcome.Duration)}{(outcome.Reason is null ? string.Empty : $": {outcome.Reason}")}"),
            TargetStatus.Skipped => Paint(Yellow, $"↷ {outcome.Name} {outcome.StatusText}"),
            TargetStatus.Cancelled => Paint(Yellow, $"■ {outcome.Name} cancelled after {RunReport.Format(outcome.Duration)}"),
            _ => Paint(Dim, $"· {outcome.Name} {outcome.StatusText}"),
        };
        WriteLine(line);
    }

    public override void WriteSummary(RunReport report)
    {
        WriteLine(string.Empty);
        WriteLine(report.ToTable());
        WriteClosing(report);
    }

    private string Paint(string colourCode, string text) => colour ? colourCode + text + Reset : text;
}
