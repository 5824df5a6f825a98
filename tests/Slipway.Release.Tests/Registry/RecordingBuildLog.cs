using System.Collections.Concurrent;
using Slipway.Logging;

namespace Slipway.Release.Tests.Registry;

/// <summary>Keeps every line written to the build log, so tests can assert what was (and was not) said.</summary>
public sealed class RecordingBuildLog : IBuildLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public void Debug(string message) => _lines.Enqueue("debug: " + message);

    public void Info(string message) => _lines.Enqueue("info: " + message);

    public void Warning(string message) => _lines.Enqueue("warning: " + message);

    public void Error(string message) => _lines.Enqueue("error: " + message);

    public void Output(string line) => _lines.Enqueue("output: " + line);
}
