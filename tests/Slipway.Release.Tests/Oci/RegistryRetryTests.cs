using Slipway.Release.Helm;
using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Oci;

/// <summary>The one retry policy, on an instant clock: what it retries, how long it waits, when it gives up, and what it says.</summary>
public sealed class RegistryRetryTests
{
    private static readonly RetryBudget Budget = new(maxAttempts: 4, firstDelay: TimeSpan.FromSeconds(1), maxDelay: TimeSpan.FromSeconds(8), total: TimeSpan.FromSeconds(60));

    private readonly RecordingLog _log = new();
    private readonly InstantTime _time = new();

    private RegistryRetry Retry(RetryBudget? budget = null) => new(_log, budget ?? Budget, _time);

    private static TransientFaultException Fault(string reason, TimeSpan? retryAfter = null) => new(new TransientFault(reason, retryAfter), $"GET x answered {reason}.");

    [Fact]
    public async Task A_transient_fault_is_retried_and_each_retry_is_logged_with_its_reason()
    {
        var attempts = 0;

        var result = await Retry().RunAsync("GET 127.0.0.1:5000/app:1", _ => ++attempts < 3 ? throw Fault("503 Service Unavailable") : Task.FromResult("served"));

        Assert.Equal(("served", 3), (result, attempts));
        var retries = _log.Lines.Where(line => line.StartsWith("warning: GET 127.0.0.1:5000/app:1: 503 Service Unavailable; retry ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, retries.Count);
        Assert.Matches(@"retry 1 of 3 in \d+\.\d s$", retries[0]);
        Assert.Matches(@"retry 2 of 3 in \d+\.\d s$", retries[1]);
    }

    [Fact]
    public async Task Waits_grow_with_jitter_and_never_exceed_the_cap()
    {
        var attempts = 0;
        var retry = Retry(new RetryBudget(8, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(10)));

        await Assert.ThrowsAsync<RetriesExhaustedException>(() => retry.RunAsync("GET x", _ => { attempts++; return Task.FromException<int>(Fault("502 Bad Gateway")); }));

        Assert.Equal(8, attempts);
        Assert.Equal(7, _time.Waits.Count);
        Assert.All(_time.Waits, wait => Assert.InRange(wait, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(4)));
        Assert.True(_time.Waits.Distinct().Count() > 1, "jittered waits differ");
        Assert.Contains(_time.Waits, wait => wait > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_permanent_failure_is_thrown_at_once_as_it_is()
    {
        var attempts = 0;
        var refused = new OciRegistryException("PUT x answered 401 UNAUTHORIZED.");

        var thrown = await Assert.ThrowsAsync<OciRegistryException>(() => Retry().RunAsync<int>("PUT x", _ => { attempts++; throw refused; }));

        Assert.Same(refused, thrown);
        Assert.Equal(1, attempts);
        Assert.Empty(_time.Waits);
    }

    [Fact]
    public async Task Faults_that_outlast_every_attempt_end_in_one_message_saying_how_often_and_why_it_stopped()
    {
        var exhausted = await Assert.ThrowsAsync<RetriesExhaustedException>(() => Retry().RunAsync<int>("GET 127.0.0.1:5000/app:1", _ => throw Fault("503 Service Unavailable")));

        Assert.StartsWith("GET 127.0.0.1:5000/app:1 failed 4 times in ", exhausted.Message, StringComparison.Ordinal);
        Assert.Contains("last with 503 Service Unavailable, and is given up: all 4 attempts are used. GET x answered 503 Service Unavailable.", exhausted.Message, StringComparison.Ordinal);
        Assert.IsType<TransientFaultException>(exhausted.InnerException);
    }

    [Fact]
    public async Task The_wait_a_429_asks_for_replaces_the_backoff()
    {
        var attempts = 0;

        await Retry().RunAsync("GET x", _ => ++attempts == 1 ? throw Fault("429 Too Many Requests", TimeSpan.FromSeconds(7)) : Task.FromResult(0));

        Assert.Equal([TimeSpan.FromSeconds(7)], _time.Waits);
    }

    [Fact]
    public async Task A_wait_asked_for_beyond_the_budget_is_not_waited_for()
    {
        var exhausted = await Assert.ThrowsAsync<RetriesExhaustedException>(() =>
            Retry().RunAsync<int>("GET x", _ => throw Fault("429 Too Many Requests", TimeSpan.FromMinutes(30))));

        Assert.Empty(_time.Waits);
        Assert.Contains("the registry asked to wait 1800.0 s, more than is left of the 60.0 s retry budget", exhausted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_retry_starts_whose_wait_would_end_after_the_total_budget()
    {
        var attempts = 0;

        var exhausted = await Assert.ThrowsAsync<RetriesExhaustedException>(() => Retry(new RetryBudget(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(60))).RunAsync<int>("GET x", _ =>
        {
            attempts++;
            _time.Advance(TimeSpan.FromSeconds(30));
            throw Fault("504 Gateway Timeout");
        }));

        Assert.Equal(2, attempts);
        Assert.Contains("the 60.0 s retry budget is spent", exhausted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_is_never_retried_nor_wrapped()
    {
        using var cancel = new CancellationTokenSource();
        var attempts = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Retry().RunAsync<int>("GET x", token =>
        {
            attempts++;
            cancel.Cancel();
            token.ThrowIfCancellationRequested();
            return Task.FromResult(0);
        }, cancel.Token));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_tools_exception_is_retried_when_its_words_read_transient()
    {
        var attempts = 0;

        await Retry().RunAsync(
            "helm pull oci://127.0.0.1:5000/charts/app",
            _ => ++attempts == 1 ? throw new HelmException("Error: failed to fetch: 503 Service Unavailable", 1) : Task.FromResult(0),
            RegistryRetry.FromToolMessages<HelmException>());
        var refused = await Assert.ThrowsAsync<HelmException>(() => Retry().RunAsync<int>(
            "helm pull oci://127.0.0.1:5000/charts/app", _ => throw new HelmException("Error: pull access denied: 401 Unauthorized", 1), RegistryRetry.FromToolMessages<HelmException>()));

        Assert.Equal(2, attempts);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_budget_needs_one_attempt_and_a_cap_not_below_the_first_wait()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBudget(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryBudget(3, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
    }
}
