using System.Net;

namespace Slipway.Release.Oci;

/// <summary>A registry could not be reached or answered something no caller can act on; the message never carries credentials or tokens.</summary>
public sealed class OciRegistryException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>The status the registry refused with (401, 403, 404, ...); null when it never answered.</summary>
    public HttpStatusCode? Status { get; init; }
}
