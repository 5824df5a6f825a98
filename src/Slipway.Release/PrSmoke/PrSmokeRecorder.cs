using Slipway.Execution;
using Slipway.Release.Containers;

namespace Slipway.Release.PrSmoke;

/// <summary>Who and what a run smoked: the parts of the result that do not come from its steps.</summary>
public sealed record PrSmokeIdentity(string? Repository, int? PullRequest, string HeadSha, string Version, PrSmokeRun? Run);

/// <summary>
/// One run's record, filled in as its steps finish, whether they pass, fail or are cancelled, so that the result written
/// at the very end (after the teardown) can say what happened even when a step threw. Thread-safe: targets of the lane
/// run in parallel.
/// </summary>
public sealed class PrSmokeRecorder(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<PrSmokeStepName, PrSmokeStep> _steps = [];
    private long? _cancelledAt;
    private CancellationTokenRegistration? _watch;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public PrSmokeImage? Image { get; set; }

    public PrSmokeCluster? Cluster { get; set; }

    public string? Namespace { get; set; }

    public string? ReleaseName { get; set; }

    public IReadOnlyList<PrSmokeCheck> SmokeChecks { get; set; } = [];

    public PrSmokeDiagnostics? Diagnostics { get; set; }

    /// <summary>Whether SIGINT or SIGTERM cancelled the run (then the teardown takes its fast path).</summary>
    public bool Cancelled
    {
        get
        {
            lock (_gate)
                return _cancelledAt is not null;
        }
    }

    /// <summary>How long ago the run was cancelled; null when it was not.</summary>
    public TimeSpan? SinceCancelled
    {
        get
        {
            lock (_gate)
                return _cancelledAt is { } at ? time.GetElapsedTime(at) : null;
        }
    }

    public void MarkCancelled()
    {
        lock (_gate)
            _cancelledAt ??= time.GetTimestamp();
    }

    /// <summary>Notes when the build's token is cancelled (SIGINT, SIGTERM), whichever target of the lane is running then.</summary>
    public void WatchCancellation(CancellationToken buildCancellation)
    {
        lock (_gate)
            _watch ??= buildCancellation.Register(MarkCancelled);
    }

    /// <summary>The image step is the engine's ImageBuild and ChartPackage targets: their outcomes, as the engine timed them.</summary>
    public void RecordImage(TargetOutcome? imageBuild, BuiltImage? image, TargetOutcome? chartPackage)
    {
        foreach (var (outcome, what) in new[] { (imageBuild, "image"), (chartPackage, "chart") })
        {
            if (outcome is null)
                continue;
            var (status, detail) = outcome.Status switch
            {
                TargetStatus.Succeeded when what == "image" && image is not null => (PrSmokeStepStatus.Passed, $"built {image.Tag} ({image.IndexDigest}, {string.Join(", ", image.Platforms.Select(platform => platform.Platform))})"),
                TargetStatus.Succeeded => (PrSmokeStepStatus.Passed, $"{outcome.Name}: stamped as Publish stamps it"),
                TargetStatus.Failed => (PrSmokeStepStatus.Failed, $"{outcome.Name} failed: {outcome.Reason}"),
                TargetStatus.Cancelled => (PrSmokeStepStatus.Cancelled, $"{outcome.Name} cancelled"),
                _ => (PrSmokeStepStatus.Skipped, $"{outcome.Name} {outcome.StatusText}"),
            };
            Record(PrSmokeStepName.Image, status, outcome.Duration, detail);
        }
    }

    /// <summary>Records a step; recording one twice adds the durations, joins the details and keeps the worse status.</summary>
    public void Record(PrSmokeStepName name, PrSmokeStepStatus status, TimeSpan duration, string detail)
    {
        lock (_gate)
        {
            var text = PrSmokeText.Fit(detail, PrSmokeLimits.Detail);
            _steps[name] = _steps.TryGetValue(name, out var earlier)
                ? new PrSmokeStep(name, Worse(earlier.Status, status), earlier.Duration + duration, PrSmokeText.Fit(string.Join("; ", new[] { earlier.Detail, text }.Where(part => part.Length > 0)), PrSmokeLimits.Detail))
                : new PrSmokeStep(name, status, duration, text);
        }
    }

    public PrSmokeStep? StepOf(PrSmokeStepName name)
    {
        lock (_gate)
            return _steps.GetValueOrDefault(name);
    }

    /// <summary>Runs a step and records how it ended: passed with the detail it returns, failed with its error, or cancelled.</summary>
    public async Task<T> StepAsync<T>(PrSmokeStepName name, Func<Task<(T Value, string Detail)>> run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        var started = time.GetTimestamp();
        try
        {
            var (value, detail) = await run();
            Record(name, PrSmokeStepStatus.Passed, time.GetElapsedTime(started), detail);
            return value;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Record(name, PrSmokeStepStatus.Cancelled, time.GetElapsedTime(started), "cancelled (SIGINT or SIGTERM)");
            throw;
        }
        catch (Exception error)
        {
            Record(name, PrSmokeStepStatus.Failed, time.GetElapsedTime(started), error.Message);
            throw;
        }
    }

    /// <summary>The result: every step in order, the ones never reached as skipped with the reason.</summary>
    public PrSmokeResult ToResult(PrSmokeIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        lock (_gate)
        {
            var steps = new List<PrSmokeStep>();
            string? stoppedBy = null;
            foreach (var name in Enum.GetValues<PrSmokeStepName>())
            {
                if (_steps.TryGetValue(name, out var step))
                {
                    steps.Add(step);
                    if (step.Status is PrSmokeStepStatus.Failed or PrSmokeStepStatus.Cancelled && name is not (PrSmokeStepName.Diagnostics or PrSmokeStepName.Teardown))
                        stoppedBy ??= $"{StrictEnumConverter<PrSmokeStepName>.NameOf(name)} {StrictEnumConverter<PrSmokeStepStatus>.NameOf(step.Status)}";
                    continue;
                }

                var reason = name switch
                {
                    PrSmokeStepName.Diagnostics when stoppedBy is null => "nothing failed",
                    PrSmokeStepName.Teardown => "nothing was created",
                    _ => stoppedBy is null ? "not reached" : $"not reached: {stoppedBy}",
                };
                steps.Add(new PrSmokeStep(name, PrSmokeStepStatus.Skipped, TimeSpan.Zero, reason));
            }

            var smoked = steps.Single(step => step.Name == PrSmokeStepName.Smoke).Status == PrSmokeStepStatus.Passed;
            var anyFailed = steps.Any(step => step.Status is PrSmokeStepStatus.Failed or PrSmokeStepStatus.Cancelled) || SmokeChecks.Any(check => !check.Passed);
            var status = _cancelledAt is not null ? PrSmokeStatus.Cancelled
                : smoked && !anyFailed ? PrSmokeStatus.Passed
                : PrSmokeStatus.Failed;
            var finished = time.GetUtcNow();
            return new PrSmokeResult(
                identity.Repository,
                identity.PullRequest,
                identity.HeadSha,
                identity.Version,
                identity.Run,
                status,
                Image,
                Cluster,
                Namespace,
                ReleaseName,
                steps,
                [.. SmokeChecks.Take(PrSmokeLimits.SmokeChecks)],
                Diagnostics,
                Truncate(StartedAt),
                Truncate(finished < StartedAt ? StartedAt : finished));
        }
    }

    private static DateTimeOffset Truncate(DateTimeOffset time) => DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());

    private static PrSmokeStepStatus Worse(PrSmokeStepStatus first, PrSmokeStepStatus second) =>
        Rank(first) >= Rank(second) ? first : second;

    private static int Rank(PrSmokeStepStatus status) => status switch
    {
        PrSmokeStepStatus.Failed => 3,
        PrSmokeStepStatus.Cancelled => 2,
        PrSmokeStepStatus.Passed => 1,
        _ => 0,
    };
}
