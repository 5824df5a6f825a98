using Slipway.Logging;

namespace Slipway.Release.Tests.Support;

/// <summary>An IBuildLog that keeps every line, prefixed with its level, for assertions.</summary>
internal sealed class RecordingLog : IBuildLog
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public void Debug(string message) => Add("debug", message);

    public void Info(string message) => Add("info", message);

    public void Warning(string message) => Add("warning", message);

    public void Error(string message) => Add("error", message);

    public void Output(string line) => Add("output", line);

    private void Add(string level, string message)
    {
        lock (_lines)
            _lines.Add($"{level}: {message}");
    }
}
