using Slipway.Execution;
using Slipway.Logging;
using Slipway.Secrets;

namespace Slipway.Hosts;

/// <summary>Where a run is shown: a local terminal or a CI service; each line arrives already redacted and whole.</summary>
public abstract class BuildHost(TextWriter writer)
{
    private readonly RedactingWriter _redacting = new(writer);

    /// <summary>Everything a host prints goes through here, redacted, so no status line or summary can leak a secret.</summary>
    protected TextWriter Writer => _redacting;

    /// <summary>Unredacted: only for telling the CI service which values to mask.</summary>
    protected TextWriter RawWriter { get; } = writer;

    public SecretRegistry? Secrets
    {
        get => _redacting.Secrets;
        set => _redacting.Secrets = value;
    }

    protected object Gate { get; } = new();

    /// <summary>For what a host writes to files (step summary, outputs): masked like every printed line.</summary>
    protected string Redact(string text) => Secrets?.Redact(text) ?? text;

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

    /// <summary>The log of whichever target is running (the engine's outside targets), for lines a host prints on a target's behalf.</summary>
    internal IBuildLog? Log { get; set; }

    /// <summary>A named value for later steps (GitHub Actions outputs); a terminal just shows it.</summary>
    public virtual void SetOutput(string name, string value) => Echo($"output {name}={value}");

    /// <summary>Prints a line as the running target's own: prefixed with its name and in the log file.</summary>
    protected void Echo(string line)
    {
        if (Log is { } log)
            log.Info(line);
        else
            WriteLine(line);
    }

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

/// <summary>A writer that masks registered secrets in every string it is given.</summary>
internal sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    public SecretRegistry? Secrets { get; set; }

    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override void Write(string? value) => inner.Write(Secrets?.Redact(value) ?? value);

    public override void WriteLine(string? value) => inner.WriteLine(Secrets?.Redact(value) ?? value);

    public override void Flush() => inner.Flush();
}
