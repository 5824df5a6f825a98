namespace Slipway.Execution;

public enum TargetStatus
{
    NotRun,
    Succeeded,
    Failed,
    Skipped,
    Cancelled,
}

/// <summary>What happened to one planned target, for the summary, the timeline and tests.</summary>
public sealed record TargetOutcome(string Name, TargetStatus Status, string? Reason, TimeSpan Started, TimeSpan Duration)
{
    public string StatusText => Status switch
    {
        TargetStatus.Succeeded => "succeeded",
        TargetStatus.Failed => Reason is null ? "failed" : $"failed: {Reason}",
        TargetStatus.Skipped => $"skipped: {Reason}",
        TargetStatus.Cancelled => "cancelled",
        _ => Reason is null ? "not run" : $"not run: {Reason}",
    };

    public bool Ran => Status is TargetStatus.Succeeded or TargetStatus.Failed or TargetStatus.Cancelled;
}
