namespace Slipway.Release.Oci;

/// <summary>A registry could not be reached or answered something no caller can act on; the message never carries credentials or tokens.</summary>
public sealed class OciRegistryException(string message, Exception? innerException = null) : Exception(message, innerException);
