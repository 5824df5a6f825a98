using Slipway.Execution;
using Slipway.Logging;

namespace Slipway.Hosts;

/// <summary>Where a run is shown: a local terminal or a CI service; each line arrives already redacted and whole.</summary>
public abstract class BuildHost(TextWriter writer)
{
    protected TextWriter Writer { get; } = writer;

    protected object Gate { get; } = new();

    /// <summary>Whether debug lines are shown.</summary>
    public bool Verbose { get; set; }

    public abstract void Write(LogEntry entry);

    public abstract void TargetStarted(string target, IReadOnlyCollection<string> running);

    public abstract void TargetFinished(TargetOutcome outcome);

    public virtual void Heartbeat(IReadOnlyList<(string Target, TimeSpan Elapsed)> running)
    {
        var list = string.Join(", ", running.Select(item => $"{item.Target} ({RunReport.Format(item.Elapsed)})"));
        WriteLine($"… still running: {list}");
    }

    public abstract void WriteSummary(RunReport report);

    /// <summary>A named value for later steps (GitHub Actions outputs); a terminal just shows it.</summary>
    public virtual void SetOutput(string name, string value) => WriteLine($"output {name}={value}");

    /// <summary>Tells the host to mask a secret itself too.</summary>
    public virtual void AddMask(string secret)
    {
    }

    public void WriteLine(string line)
    {
        lock (Gate)
            Writer.WriteLine(line);
    }

    protected void WriteClosing(RunReport report)
    {
        lock (Gate)
        {
            Writer.WriteLine(report.Verdict);
            foreach (var line in report.ClosingLines)
                Writer.WriteLine(line);
            Writer.Flush();
        }
    }
}
