namespace Slipway.Release.Helm;

/// <summary>Helm refused: the message carries helm's own (redacted) explanation, e.g. a lint error or a values schema violation.</summary>
public sealed class HelmException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
