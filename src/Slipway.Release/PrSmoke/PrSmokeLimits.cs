namespace Slipway.Release.PrSmoke;

/// <summary>How large a PR smoke result and its values may be: the file comes from a fork's run, so every size is bounded.</summary>
public static class PrSmokeLimits
{
    public const int FileBytes = 256 * 1024;

    /// <summary>A step's or a smoke check's detail.</summary>
    public const int Detail = 2000;

    public const int DiagnosticsSummary = 8000;

    /// <summary>Names, references, contexts, locations: one line each.</summary>
    public const int Name = 256;

    public const int Url = 512;

    public const int SmokeChecks = 32;

    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);
}
