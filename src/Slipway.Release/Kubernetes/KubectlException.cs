namespace Slipway.Release.Kubernetes;

/// <summary>kubectl refused or could not reach the cluster; the message carries its own (redacted) error output.</summary>
public sealed class KubectlException(string message, int exitCode, string errorOutput) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>What kubectl wrote on stderr, for telling the kinds of failure apart.</summary>
    public string ErrorOutput { get; } = errorOutput;

    /// <summary><c>Error from server (NotFound): ...</c>.</summary>
    public bool IsNotFound => ErrorOutput.Contains("(NotFound)", StringComparison.Ordinal);

    /// <summary><c>Error from server (Forbidden): ...</c>: the credentials lack a permission.</summary>
    public bool IsForbidden => ErrorOutput.Contains("(Forbidden)", StringComparison.Ordinal);

    /// <summary>The API server did not answer (refused, no route, DNS, TLS handshake, timeout).</summary>
    public bool IsUnreachable =>
        ErrorOutput.Contains("The connection to the server", StringComparison.Ordinal)
        || ErrorOutput.Contains("Unable to connect to the server", StringComparison.Ordinal)
        || ErrorOutput.Contains("dial tcp", StringComparison.Ordinal)
        || ErrorOutput.Contains("i/o timeout", StringComparison.Ordinal);
}
