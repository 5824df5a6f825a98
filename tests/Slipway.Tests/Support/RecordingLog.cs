using System.Collections.Concurrent;
using Slipway.Logging;

namespace Slipway.Tests.Support;

public sealed class RecordingLog : IBuildLog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text => string.Join('\n', Lines);

    public void Debug(string message) => Lines.Enqueue($"debug: {message}");

    public void Info(string message) => Lines.Enqueue(message);

    public void Warning(string message) => Lines.Enqueue($"warning: {message}");

    public void Error(string message) => Lines.Enqueue($"error: {message}");

    public void Output(string line) => Lines.Enqueue(line);
}
