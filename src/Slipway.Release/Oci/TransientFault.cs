namespace Slipway.Release.Oci;

/// <summary>Why an attempt is worth repeating (a 5xx, a 429, a reset connection, a timeout), and the wait the server asked for, if any.</summary>
public sealed record TransientFault(string Reason, TimeSpan? RetryAfter = null);

/// <summary>Thrown inside a retried operation for a fault worth another attempt: what <see cref="RegistryRetry"/> retries by default.</summary>
public sealed class TransientFaultException(TransientFault fault, string message, Exception? innerException = null) : Exception(message, innerException)
{
    public TransientFault Fault { get; } = fault;
}

/// <summary>An operation met a transient fault on every attempt it was allowed; the message says how often, for how long and why it stopped.</summary>
public sealed class RetriesExhaustedException(string message, Exception innerException) : Exception(message, innerException);
