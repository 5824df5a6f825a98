namespace Slipway.Execution;

/// <summary>How a run is carried out.</summary>
internal sealed record ExecutorOptions
{
    public int MaxParallel { get; init; } = Environment.ProcessorCount;

    public IReadOnlySet<string> Skipped { get; init; } = new HashSet<string>();

    /// <summary>After a cancellation, everything (stopping targets, cleanups) must be done within this; GitHub Actions allows about 7.5 s before SIGTERM follows SIGINT.</summary>
    public TimeSpan CancellationBudget { get; init; } = TimeSpan.FromSeconds(7);

    /// <summary>After a second signal, what is left for stopping and cleanups: GitHub Actions sends SIGKILL 2.5 s after its SIGTERM, and killing leftovers and removing temp state must fit in too.</summary>
    public TimeSpan HurriedBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long running targets get to stop after a cancellation before they are abandoned.</summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The limit for each cleanup when nothing was cancelled.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(20);
}
