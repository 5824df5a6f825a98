using System.Globalization;
using Polly;
using Polly.Retry;
using Slipway.Logging;

namespace Slipway.Release.Oci;

/// <summary>How hard <see cref="RegistryRetry"/> tries: attempts in all, the median first wait (doubling, jittered, capped) and a total budget.</summary>
public sealed record RetryBudget
{
    public RetryBudget(int maxAttempts, TimeSpan firstDelay, TimeSpan maxDelay, TimeSpan total)
    {
        MaxAttempts = maxAttempts >= 1 ? maxAttempts : throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, "At least one attempt.");
        FirstDelay = firstDelay >= TimeSpan.Zero ? firstDelay : throw new ArgumentOutOfRangeException(nameof(firstDelay));
        MaxDelay = maxDelay >= firstDelay ? maxDelay : throw new ArgumentOutOfRangeException(nameof(maxDelay), maxDelay, "Not below the first delay.");
        Total = total;
    }

    /// <summary>6 attempts, waits from about 1 s doubling to at most 15 s, and no wait that would end after 2 minutes.</summary>
    public static RetryBudget Default { get; } = new(6, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(2));

    public int MaxAttempts { get; }

    public TimeSpan FirstDelay { get; }

    public TimeSpan MaxDelay { get; }

    public TimeSpan Total { get; }
}

/// <summary>
/// The one retry policy of every registry call: the OCI client's requests, cosign, and helm's registry verbs (HelmCli's
/// push, pull and login). A fault is retried only when the classifier calls it transient (a 5xx, a 429 with its
/// <c>Retry-After</c>, a reset connection, a timeout); anything else (401, 403, 404, a digest mismatch) fails at once.
/// Waits grow exponentially with jitter up to <see cref="RetryBudget.MaxDelay"/> (Polly's retry strategy); a retry starts
/// only while its wait, or the wait the server asked for, ends inside <see cref="RetryBudget.Total"/>. Each retry is logged
/// with its reason; when the faults outlast the budget a <see cref="RetriesExhaustedException"/> says what happened.
/// <example>An idempotent call of a tool that reports failures as text: <c>await retry.RunAsync("helm pull " + chart, ct => RunHelmAsync(..., ct), RegistryRetry.FromToolMessages&lt;HelmException&gt;(), cancellationToken);</c></example>
/// </summary>
public sealed class RegistryRetry(IBuildLog log, RetryBudget? budget = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public RetryBudget Budget { get; } = budget ?? RetryBudget.Default;

    /// <summary>The default classifier: <see cref="TransientFaultException"/> and nothing else.</summary>
    public static TransientFault? ThrownFault(Exception exception) => (exception as TransientFaultException)?.Fault;

    /// <summary>For a tool that reports failures only as text (helm, cosign): an exception of that type whose message reads transient.</summary>
    public static Func<Exception, TransientFault?> FromToolMessages<TException>()
        where TException : Exception =>
        exception => exception is TException ? ToolOutputFaults.Classify(exception.Message) : ThrownFault(exception);

    public Task RunAsync(string operation, Func<CancellationToken, Task> action, CancellationToken cancellationToken = default) =>
        RunAsync(operation, async token =>
        {
            await action(token);
            return true;
        }, ThrownFault, cancellationToken);

    public Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken = default) =>
        RunAsync(operation, action, ThrownFault, cancellationToken);

    /// <param name="operation">What is tried, for the log and the final message ("PUT 127.0.0.1:5000/app manifest 1.2.3").</param>
    /// <param name="classify">Transient (with its reason) or null: permanent, thrown at once.</param>
    public async Task<T> RunAsync<T>(string operation, Func<CancellationToken, Task<T>> action, Func<Exception, TransientFault?> classify, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(classify);
        var started = _time.GetTimestamp();
        var attempts = 0;
        string? stoppedBecause = null;

        TransientFault? Retryable(Exception exception)
        {
            if (cancellationToken.IsCancellationRequested || classify(exception) is not { } fault)
                return null;
            var elapsed = _time.GetElapsedTime(started);
            var wait = fault.RetryAfter ?? Budget.MaxDelay;
            if (attempts >= Budget.MaxAttempts)
                stoppedBecause = $"all {Budget.MaxAttempts} attempts are used";
            else if (elapsed + wait > Budget.Total)
                stoppedBecause = fault.RetryAfter is { } asked
                    ? $"the registry asked to wait {Seconds(asked)}, more than is left of the {Seconds(Budget.Total)} retry budget"
                    : $"the {Seconds(Budget.Total)} retry budget is spent";
            else
                return fault;
            return null;
        }

        var pipeline = Budget.MaxAttempts == 1
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder { TimeProvider = _time }
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = Budget.MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = Budget.FirstDelay,
                    MaxDelay = Budget.MaxDelay,
                    ShouldHandle = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception && Retryable(exception) is not null),
                    // The server's Retry-After, when it sent one, replaces the backoff.
                    DelayGenerator = arguments => ValueTask.FromResult(arguments.Outcome.Exception is { } exception ? classify(exception)?.RetryAfter : null),
                    OnRetry = arguments =>
                    {
                        log.Warning($"{operation}: {classify(arguments.Outcome.Exception!)!.Reason}; retry {arguments.AttemptNumber + 1} of {Budget.MaxAttempts - 1} in {Seconds(arguments.RetryDelay)}");
                        return default;
                    },
                })
                .Build();

        try
        {
            return await pipeline.ExecuteAsync(
                async token =>
                {
                    attempts++;
                    return await action(token);
                },
                cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && classify(exception) is { } last)
        {
            stoppedBecause ??= Budget.MaxAttempts == 1 ? "this call is not retried" : $"all {Budget.MaxAttempts} attempts are used";
            var tries = attempts == 1 ? "once" : $"{attempts} times";
            throw new RetriesExhaustedException(
                $"{operation} failed {tries} in {Seconds(_time.GetElapsedTime(started))}, last with {last.Reason}, and is given up: {stoppedBecause}. {exception.Message}",
                exception);
        }
    }

    private static string Seconds(TimeSpan span) => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s");
}
