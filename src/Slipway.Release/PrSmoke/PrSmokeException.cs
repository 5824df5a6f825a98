namespace Slipway.Release.PrSmoke;

/// <summary>The PR smoke lane cannot go on; the message says what is wrong, where it came from and the next step.</summary>
public sealed class PrSmokeException : Exception
{
    public PrSmokeException(string message)
        : base(message)
    {
    }

    public PrSmokeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
