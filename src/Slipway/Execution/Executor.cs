using System.Collections.Concurrent;
using System.Diagnostics;
using Slipway.Logging;
using Slipway.Planning;

namespace Slipway.Execution;

/// <summary>Runs a plan: independent targets in parallel (bounded), conditions and skips, failure policy, cancellation, and cleanups that always run.</summary>
internal sealed class Executor(ExecutionPlan plan, BuildOutput output, ExecutorOptions options)
{
    private static readonly AsyncLocal<TargetInfo?> Running = new();
    private static readonly TimeSpan CleanupOverrun = TimeSpan.FromMilliseconds(200);

    private readonly Dictionary<TargetInfo, RunState> _states = plan.Targets.ToDictionary(target => target, target => new RunState(target));
    private readonly ConcurrentDictionary<string, TimeSpan> _inFlight = new();
    private readonly Stopwatch _clock = new();
    private int _startSequence;
    private long _hurriedAtTicks = -1;

    public ConcurrentDictionary<TargetInfo, object> Results { get; } = new();

    /// <summary>The outcome of a finished target; null while it is pending or running.</summary>
    public TargetOutcome? OutcomeOf(TargetInfo target) =>
        _states.TryGetValue(target, out var state) && state.IsFinished ? state.ToOutcome() : null;

    /// <summary>The target whose code is running on this async flow; null in cleanups and outside targets.</summary>
    public static TargetInfo? CurrentTarget => Running.Value;

    /// <param name="cancellation">The first stop request: running targets are cancelled, cleanups get the cancellation budget.</param>
    /// <param name="hurry">The second: running targets are abandoned at once, the remaining cleanups share the hurried budget.</param>
    public async Task<IReadOnlyList<TargetOutcome>> RunAsync(CancellationToken cancellation, CancellationToken hurry = default)
    {
        _clock.Start();
        TimeSpan? cancelledAt = null;
        using var grace = new CancellationTokenSource();
        await using var onCancel = cancellation.Register(() =>
        {
            cancelledAt = _clock.Elapsed;
            grace.CancelAfter(options.CancellationGrace);
        });
        await using var onHurry = hurry.Register(() =>
        {
            Volatile.Write(ref _hurriedAtTicks, _clock.Elapsed.Ticks);
            grace.Cancel();
        });
        // Stopped by disposing it: a cancelled wait would throw, and that first exception costs measurable start-up time.
        var timer = new PeriodicTimer(options.HeartbeatInterval);
        var heartbeat = HeartbeatAsync(timer);

        await RunTargetsAsync(cancellation, grace.Token);

        timer.Dispose();
        await heartbeat;
        var cleanups = await RunCleanupsAsync(() => cancelledAt, cancellation, hurry);
        return [.. plan.Targets.Select(target => _states[target].ToOutcome()), .. cleanups];
    }

    private async Task RunTargetsAsync(CancellationToken cancellation, CancellationToken graceExpired)
    {
        var pending = plan.Targets.ToList();
        var running = new Dictionary<Task, RunState>();
        string? stopReason = null;
        var abandon = Task.Delay(Timeout.Infinite, graceExpired).ContinueWith(_ => { }, TaskScheduler.Default);

        while (pending.Count > 0 || running.Count > 0)
        {
            foreach (var target in pending.ToList())
            {
                if (!plan.WaitsFor[target].All(before => _states[before].IsFinished))
                    continue;
                var state = _states[target];
                var stopped = target.Collects.Count > 0 ? null : stopReason;
                var notRunReason = cancellation.IsCancellationRequested ? "cancelled before it started" : stopped ?? BrokenDependency(target);
                if (notRunReason is not null)
                    Finish(state, TargetStatus.NotRun, notRunReason);
                else if (options.Skipped.Contains(target.Name))
                    Finish(state, TargetStatus.Skipped, "--skip");
                else if (UnmetCondition(target) is { } condition)
                    Finish(state, condition.Status, condition.Reason);
                else if (running.Count >= options.MaxParallel)
                    continue;
                else
                    running[StartAsync(state, cancellation)] = state;
                pending.Remove(target);
            }

            if (running.Count == 0)
                continue;

            var finished = await Task.WhenAny(running.Keys.Append(abandon));
            if (finished == abandon)
            {
                foreach (var state in running.Values)
                    Finish(state, TargetStatus.Cancelled, "did not stop within the cancellation grace period");
                running.Clear();
                continue;
            }

            var done = running[finished];
            running.Remove(finished);
            if (done.Status == TargetStatus.Failed && !done.Target.Definition.ContinuesAfterFailure)
                stopReason ??= $"{done.Target.Name} failed";
        }
    }

    private Task StartAsync(RunState state, CancellationToken cancellation)
    {
        state.Sequence = Interlocked.Increment(ref _startSequence);
        state.Started = _clock.Elapsed;
        _inFlight[state.Target.Name] = state.Started;
        output.Host.TargetStarted(state.Target.Name, [.. _inFlight.Keys.Order(StringComparer.Ordinal)]);
        return Task.Run(async () =>
        {
            Running.Value = state.Target;
            var log = output.For(state.Target.Name);
            CurrentLog.Enter(log);
            try
            {
                state.Executed = true;
                foreach (var action in state.Target.Definition.Actions)
                {
                    var result = await action(cancellation);
                    if (result is not null)
                        Results[state.Target] = result;
                }

                Finish(state, TargetStatus.Succeeded, null);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                Finish(state, TargetStatus.Cancelled, null);
            }
            catch (Exception exception) when (state.IsFinished)
            {
                // Abandoned after a signal: what it fails with now comes of the stop (its files removed under it), not a finding.
                log.Debug($"After it was abandoned: {Describe(exception)}");
            }
            catch (Exception exception)
            {
                log.Error(Describe(exception));
                log.Debug(exception.ToString());
                Finish(state, TargetStatus.Failed, FirstLine(Describe(exception)));
            }
        }, CancellationToken.None);
    }

    private void Finish(RunState state, TargetStatus status, string? reason)
    {
        lock (state)
        {
            if (state.IsFinished)
                return;
            state.Status = status;
            state.Reason = reason;
            if (state.Sequence > 0)
                state.Duration = _clock.Elapsed - state.Started;
        }

        _inFlight.TryRemove(state.Target.Name, out _);
        output.Host.TargetFinished(state.ToOutcome());
    }

    private string? BrokenDependency(TargetInfo target) =>
        plan.Needs[target].FirstOrDefault(before => _states[before].Status is TargetStatus.Failed or TargetStatus.Cancelled or TargetStatus.NotRun) is { } broken
            ? $"{broken.Name} {(_states[broken].Status == TargetStatus.Failed ? "failed" : "did not run")}"
            : null;

    private (TargetStatus Status, string Reason)? UnmetCondition(TargetInfo target)
    {
        foreach (var condition in target.Definition.Conditions)
        {
            try
            {
                if (condition.SkipReason() is { Length: > 0 } reason)
                    return (TargetStatus.Skipped, reason);
            }
            catch (Exception exception)
            {
                output.For(target.Name).Error($"Its condition ({condition.Requirement}) could not be evaluated: {Describe(exception)}");
                return (TargetStatus.Failed, "condition could not be evaluated");
            }
        }

        return null;
    }

    private async Task<List<TargetOutcome>> RunCleanupsAsync(Func<TimeSpan?> cancelledAt, CancellationToken cancellation, CancellationToken hurry)
    {
        var outcomes = new List<TargetOutcome>();
        var due = _states.Values.Where(state => state.Executed && state.Target.Definition.Cleanups.Count > 0).OrderByDescending(state => state.Sequence);
        foreach (var state in due)
        {
            var name = $"{state.Target.Name} (cleanup)";
            var started = _clock.Elapsed;
            output.Host.TargetStarted(name, [name]);
            var (status, reason) = await RunCleanupAsync(state.Target, name, CleanupLimit(cancelledAt()), cancellation, hurry);
            var outcome = new TargetOutcome(name, status, reason, started, _clock.Elapsed - started);
            output.Host.TargetFinished(outcome);
            outcomes.Add(outcome);
        }

        return outcomes;
    }

    /// <summary>What the next cleanup may take: its own timeout, or what is left of the cancellation budget, or of the hurried one.</summary>
    private TimeSpan CleanupLimit(TimeSpan? cancelledAt)
    {
        var now = _clock.Elapsed;
        var limit = cancelledAt is { } cancelled ? options.CancellationBudget - (now - cancelled) : options.CleanupTimeout;
        if (Volatile.Read(ref _hurriedAtTicks) is var hurried and >= 0)
            limit = Min(limit, options.HurriedBudget - (now - TimeSpan.FromTicks(hurried)));
        return limit < TimeSpan.Zero ? TimeSpan.Zero : limit;
    }

    private static TimeSpan Min(TimeSpan left, TimeSpan right) => left < right ? left : right;

    private static string LimitText(TimeSpan limit) => $"{limit.TotalSeconds:0.#} s";

    /// <summary>Runs one target's cleanups within <paramref name="limit"/>; a stop request that comes meanwhile shortens it to what is left of that request's budget.</summary>
    private async Task<(TargetStatus, string?)> RunCleanupAsync(TargetInfo target, string name, TimeSpan limit, CancellationToken cancellation, CancellationToken hurry)
    {
        var started = _clock.Elapsed;
        var deadline = started + limit;
        using var budget = new CancellationTokenSource(limit);
        void Shorten(TimeSpan allowed)
        {
            lock (budget)
            {
                var now = _clock.Elapsed;
                deadline = Min(deadline, now + allowed);
                budget.CancelAfter(deadline > now ? deadline - now : TimeSpan.Zero);
            }
        }

        await using var onCancel = cancellation.Register(() => Shorten(options.CancellationBudget));
        await using var onHurry = hurry.Register(() => Shorten(options.HurriedBudget));
        var log = output.For(name);
        var work = Task.Run(async () =>
        {
            Running.Value = null;
            CurrentLog.Enter(log);
            foreach (var cleanup in target.Definition.Cleanups)
                await cleanup(budget.Token);
        }, CancellationToken.None);

        // A cleanup gets a moment after its token fires to finish what it was doing when it honours the token.
        var expired = Task.Delay(Timeout.Infinite, budget.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        if (await Task.WhenAny(work, expired) != work && await Task.WhenAny(work, Task.Delay(CleanupOverrun, CancellationToken.None)) != work)
        {
            var allowed = _clock.Elapsed - started - CleanupOverrun;
            log.Error($"Cleanup did not finish within {LimitText(allowed)}{(hurry.IsCancellationRequested ? " (cut short by a second signal)" : string.Empty)}.");
            return (TargetStatus.Failed, $"did not finish within {LimitText(allowed)}");
        }

        try
        {
            await work;
            return (TargetStatus.Succeeded, null);
        }
        catch (Exception exception)
        {
            log.Error(Describe(exception));
            log.Debug(exception.ToString());
            return (TargetStatus.Failed, FirstLine(Describe(exception)));
        }
    }

    private async Task HeartbeatAsync(PeriodicTimer timer)
    {
        while (await timer.WaitForNextTickAsync())
        {
            var now = _clock.Elapsed;
            var running = _inFlight.OrderBy(item => item.Key, StringComparer.Ordinal).Select(item => (item.Key, now - item.Value)).ToList();
            if (running.Count > 0)
                output.Host.Heartbeat(running);
        }
    }

    private static string Describe(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Describe(aggregate.InnerExceptions[0]) : exception.Message;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd('\r', ':');

    private sealed class RunState(TargetInfo target)
    {
        public TargetInfo Target { get; } = target;

        public TargetStatus? Status { get; set; }

        public string? Reason { get; set; }

        public bool IsFinished => Status is not null;

        public bool Executed { get; set; }

        public int Sequence { get; set; }

        public TimeSpan Started { get; set; }

        public TimeSpan Duration { get; set; }

        public TargetOutcome ToOutcome() => new(Target.Name, Status ?? TargetStatus.NotRun, Reason, Started, Duration);
    }
}
