using Slipway.Hosts;
using Slipway.Secrets;

namespace Slipway.Logging;

/// <summary>The single way out for every line: redacts it, then hands it to the host and the log file.</summary>
internal sealed class BuildOutput
{
    private readonly SecretRegistry _secrets;
    private readonly BuildLogFile? _file;
    private readonly TimeProvider _time;

    public BuildOutput(BuildHost host, SecretRegistry secrets, BuildLogFile? file, TimeProvider time)
    {
        Host = host;
        Host.Secrets = secrets;
        Host.Log = new CurrentLog(this);
        _secrets = secrets;
        _file = file;
        _time = time;
    }

    public BuildHost Host { get; }

    public void Write(string? target, LogLevel level, string text)
    {
        var redacted = _secrets.Redact(text);
        foreach (var line in redacted.Split('\n'))
        {
            var entry = new LogEntry(target, level, line.TrimEnd('\r'), _time.GetUtcNow());
            _file?.Write(entry);
            Host.Write(entry);
        }
    }

    public IBuildLog For(string? target) => new TargetLog(this, target);

    /// <summary>Puts text the host prints by itself (the summary) into the log file as well.</summary>
    public void RecordInLogFile(string text)
    {
        foreach (var line in _secrets.Redact(text).Split('\n'))
            _file?.Write(new LogEntry(null, LogLevel.Info, line.TrimEnd('\r'), _time.GetUtcNow()));
    }

    private sealed class TargetLog(BuildOutput output, string? target) : IBuildLog
    {
        public void Debug(string message) => output.Write(target, LogLevel.Debug, message);

        public void Info(string message) => output.Write(target, LogLevel.Info, message);

        public void Warning(string message) => output.Write(target, LogLevel.Warning, message);

        public void Error(string message) => output.Write(target, LogLevel.Error, message);

        public void Output(string line) => output.Write(target, LogLevel.Output, line);
    }
}

/// <summary>The log of the running target, whichever thread asks; the engine's own log outside targets.</summary>
internal sealed class CurrentLog(BuildOutput output) : IBuildLog
{
    private static readonly AsyncLocal<IBuildLog?> Current = new();

    public static void Enter(IBuildLog log) => Current.Value = log;

    public void Debug(string message) => Resolve().Debug(message);

    public void Info(string message) => Resolve().Info(message);

    public void Warning(string message) => Resolve().Warning(message);

    public void Error(string message) => Resolve().Error(message);

    public void Output(string line) => Resolve().Output(line);

    private IBuildLog Resolve() => Current.Value ?? output.For(null);
}
