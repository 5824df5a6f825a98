using System.Text.Json;
using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class JanitorTests
{
    private readonly ScriptedKubectl _kubectl = new();
    private readonly InstantTime _time = new();
    private readonly RecordingLog _log = new();

    private static object Namespace(string name, Dictionary<string, string> labels, string? expires, string phase = "Active") => new
    {
        metadata = new { name, labels, annotations = expires is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [PrSmokeLabels.ExpiresAt] = expires } },
        status = new { phase },
    };

    private static Dictionary<string, string> Ours(int? pullRequest = null) =>
        pullRequest is null
            ? new() { [PrSmokeLabels.ManagedBy] = "slipway" }
            : new() { [PrSmokeLabels.ManagedBy] = "slipway", [PrSmokeLabels.PullRequest] = pullRequest.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private void Cluster(params object[] namespaces) =>
        _kubectl.Get = (resource, _, _, selector) =>
        {
            Assert.Equal("namespaces", resource);
            Assert.Equal("app.kubernetes.io/managed-by=slipway", selector);
            return JsonSerializer.Serialize(new { apiVersion = "v1", kind = "List", items = namespaces });
        };

    private List<string> Deleted => [.. _kubectl.Calls.Where(call => call.StartsWith("delete namespace ", StringComparison.Ordinal)).Select(call => call["delete namespace ".Length..])];

    [Fact]
    public async Task Deletes_expired_namespaces_only_and_prints_what_it_did()
    {
        // The clock says 2026-12-01T09:00:00Z.
        Cluster(
            Namespace("pr-1-old", Ours(1), "2026-12-01T08:59:59Z"),
            Namespace("pr-2-fresh", Ours(2), "2026-12-01T10:00:00Z"));

        var report = await new Janitor(_kubectl, pullRequests: null, _log, _time).RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(["pr-1-old"], Deleted);
        Assert.Single(report.Deleted);
        Assert.Contains(_log.Lines, line => line.Contains("deleted pr-1-old: expired", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains("kept pr-2-fresh: expires in 1 h", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_namespace_without_the_managed_by_label_is_never_touched_even_if_a_selector_returned_it()
    {
        Cluster(Namespace("production", new Dictionary<string, string> { ["team"] = "payments" }, "2020-01-01T00:00:00Z"));

        var report = await new Janitor(_kubectl, pullRequests: null, _log, _time).RunAsync(dryRun: false, CancellationToken.None);

        Assert.Empty(Deleted);
        Assert.Contains(report.Kept, line => line.Contains("never touched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dry_run_deletes_nothing_and_says_what_it_would_delete()
    {
        Cluster(Namespace("pr-1-old", Ours(1), "2026-12-01T08:00:00Z"));

        var report = await new Janitor(_kubectl, pullRequests: null, _log, _time).RunAsync(dryRun: true, CancellationToken.None);

        Assert.Empty(Deleted);
        Assert.Single(report.Deleted);
        Assert.Contains(_log.Lines, line => line.Contains("would delete pr-1-old", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains("--dry-run false", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_closed_pull_request_s_namespace_goes_before_it_expires_when_the_status_source_knows()
    {
        Cluster(Namespace("pr-5-abcde", Ours(5), "2026-12-01T11:00:00Z"), Namespace("pr-6-abcde", Ours(6), "2026-12-01T11:00:00Z"));

        await new Janitor(_kubectl, new ClosedPullRequests(5), _log, _time).RunAsync(dryRun: false, CancellationToken.None);

        Assert.Equal(["pr-5-abcde"], Deleted);
    }

    [Fact]
    public async Task One_without_a_readable_expiry_or_already_terminating_is_left_alone()
    {
        Cluster(
            Namespace("pr-1-noexpiry", Ours(1), null),
            Namespace("pr-2-garbled", Ours(2), "tomorrow"),
            Namespace("pr-3-going", Ours(3), "2020-01-01T00:00:00Z", phase: "Terminating"));

        var report = await new Janitor(_kubectl, pullRequests: null, _log, _time).RunAsync(dryRun: false, CancellationToken.None);

        Assert.Empty(Deleted);
        Assert.Equal(3, report.Kept.Count);
        Assert.Contains(report.Kept, line => line.Contains("got 'tomorrow'", StringComparison.Ordinal));
    }

    private sealed class ClosedPullRequests(params int[] closed) : IPullRequestStates
    {
        public Task<PullRequestState> StateAsync(int pullRequest, CancellationToken cancellationToken) =>
            Task.FromResult(closed.Contains(pullRequest) ? PullRequestState.Closed : PullRequestState.Open);
    }
}
