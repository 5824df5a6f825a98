namespace Slipway.Processes;

/// <summary>A tool exited non-zero or ran out of time; the message is already redacted and carries the end of its error output.</summary>
public sealed class ToolFailedException(string message, ToolResult? result) : Exception(message)
{
    public ToolResult? Result { get; } = result;
}
