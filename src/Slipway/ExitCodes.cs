namespace Slipway;

/// <summary>How a run ends, as the shell sees it.</summary>
public static class ExitCodes
{
    public const int Succeeded = 0;
    public const int Failed = 1;

    /// <summary>Unknown target or parameter, a value that does not parse, a missing required parameter, a cycle.</summary>
    public const int Usage = 2;

    public const int Interrupted = 130;
    public const int Terminated = 143;
}
