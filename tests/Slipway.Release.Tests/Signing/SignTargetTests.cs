using System.Text.Json;
using Slipway.Execution;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Signing;
using Slipway.Release.Versioning;

namespace Slipway.Release.Tests.Signing;

/// <summary>
/// The Sign and Publish targets of the release component with everything before them faked at the target level (no git,
/// registry or helm): the skip reason the resolver computed is the one the plan, the summary table, the step summary and
/// release.json show; a run that must sign fails; an identity signs (cosign faked at the process boundary).
/// </summary>
public sealed class SignTargetTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private static readonly string ChartDigest = "sha256:" + new string('a', 64);

    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public void Dispose() => _root.Dispose();

    private static string PreciseReason => SigningIdentities.Resolve(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" }).Reason;

    /// <summary>A release whose version, registry, push and anonymous check are given, so only signing and the record run for real.</summary>
    private abstract class FakedUpstream : SlipwayBuild, IRelease
    {
        protected abstract PublishDestination Destination { get; }

        Target IVersioning.Version => _ => _.Produces(_ => Task.FromResult(
            new ReleaseVersion(SemanticVersion.Parse("1.2.3"), new GitFacts(Sha, DateTimeOffset.UnixEpoch, null, 1, null))));

        Target IPublishRegistry.PublishRegistry => _ => _.Produces(_ => Task.FromResult(Destination));

        Target IChartPublish.ChartPush => _ => _
            .DependsOn(this.From<IVersioning>().Version, this.From<IPublishRegistry>().PublishRegistry)
            .Produces(_ => Task.FromResult(new PublishedChart(Destination.Reference("charts/demo", "1.2.3"), ChartDigest, AlreadyPublished: false)));

        Target IChartPublish.VerifyAnonymousPull => _ => _
            .DependsOn(this.From<IChartPublish>().ChartPush)
            .Produces(_ => Task.FromResult(new AnonymousPull("faked")));

        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    private sealed class ToEmbeddedRegistry : FakedUpstream
    {
        protected override PublishDestination Destination { get; } = new("127.0.0.1:5000", null, Embedded: true);
    }

    private sealed class ToGhcr : FakedUpstream
    {
        protected override PublishDestination Destination { get; } = new("ghcr.io/acme", null, Embedded: false);
    }

    [Fact]
    public async Task In_github_actions_without_oidc_the_resolvers_reason_is_the_skip_in_the_table_the_step_summary_and_release_json()
    {
        var stepSummary = _root.Combine("step-summary.md");

        var run = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, [], new Dictionary<string, string>
        {
            ["GITHUB_ACTIONS"] = "true",
            ["CI"] = "true",
            ["GITHUB_STEP_SUMMARY"] = stepSummary,
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("id-token: write", PreciseReason, StringComparison.Ordinal);
        Assert.Equal(new TargetOutcome("Sign", TargetStatus.Skipped, PreciseReason, TimeSpan.Zero, TimeSpan.Zero), run.Outcome("Sign") with { Started = TimeSpan.Zero, Duration = TimeSpan.Zero });
        Assert.Matches($@"\nSign +skipped: {Regex(PreciseReason)} ", run.Output);
        Assert.Contains($"| Sign | skipped: {PreciseReason} |", await File.ReadAllTextAsync(stepSummary), StringComparison.Ordinal);
        Assert.Contains($"- Signing: **skipped** — {PreciseReason}", await File.ReadAllTextAsync(stepSummary), StringComparison.Ordinal);
        Assert.Equal(("skipped", PreciseReason), await SigningInReleaseJsonAsync());
    }

    [Fact]
    public async Task The_plan_shows_the_skip_reason_where_it_is_known_before_anything_ran()
    {
        var actions = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, ["--plan"], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });
        var ci = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, ["--plan"], new Dictionary<string, string> { ["CI"] = "true" });

        Assert.Contains($"Sign  after ChartPush  [skipped: {PreciseReason}]", actions.Output, StringComparison.Ordinal);
        Assert.Contains("Sign  after ChartPush  [only when a signing identity, or a run that must sign: decided when it runs]", ci.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ci_publishing_to_a_real_registry_without_identity_fails_signing_and_the_record_says_why()
    {
        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, [], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["CI"] = "true" });

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(TargetStatus.Failed, run.Outcome("Sign").Status);
        var (status, reason) = await SigningInReleaseJsonAsync();
        Assert.Equal("failed", status);
        Assert.StartsWith(PreciseReason + "; this run must sign (CI=true and publishing to ghcr.io)", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_identity_signs_the_chart_by_digest()
    {
        using var cosign = new FakeCosign();

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable], new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["COSIGN_PRIVATE_KEY"] = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----",
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"[sign] [--yes] [--key] [env://COSIGN_PRIVATE_KEY] [ghcr.io/acme/charts/demo@{ChartDigest}]"], cosign.Calls);
        Assert.Equal(("signed", $"key: ghcr.io/acme/charts/demo@{ChartDigest}"), await SigningInReleaseJsonAsync());
    }

    private async Task<(string? Status, string? Reason)> SigningInReleaseJsonAsync()
    {
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(_root.Combine("artifacts", "release.json")));
        var signing = record.RootElement.GetProperty("signing");
        return (signing.GetProperty("status").GetString(), signing.GetProperty("reason").GetString());
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
