namespace Slipway.Release.PrSmoke;

/// <summary>A PR smoke result that cannot be written or read; the message names the source, the field and the next step.</summary>
public sealed class PrSmokeResultException : Exception
{
    public PrSmokeResultException(string message)
        : base(message)
    {
    }

    public PrSmokeResultException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
