namespace Slipway.Logging;

public enum LogLevel
{
    Debug,
    Info,
    Warning,
    Error,

    /// <summary>A line a child process printed.</summary>
    Output,
}

/// <summary>One redacted line, and the target it belongs to (none for the engine's own lines).</summary>
public sealed record LogEntry(string? Target, LogLevel Level, string Text, DateTimeOffset Time);
