namespace Slipway.Release.Registry;

/// <summary>The embedded registry could not be provisioned or started; the message says what to do about it.</summary>
public sealed class EmbeddedRegistryException(string message, Exception? innerException = null) : Exception(message, innerException);
