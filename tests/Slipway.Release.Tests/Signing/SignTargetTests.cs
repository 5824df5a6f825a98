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
    private const string PrivateKey = "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----";
    private const string PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEpublic\n-----END PUBLIC KEY-----";

    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public void Dispose() => _root.Dispose();

    private static string PreciseReason => SigningIdentities.Resolve(new Dictionary<string, string?> { ["GITHUB_ACTIONS"] = "true" }).Reason;

    /// <summary>A release whose version, registry, push and anonymous check are given, so only the preflight's signing half, signing, its verification and the record run for real.</summary>
    private abstract class FakedUpstream : SlipwayBuild, IRelease
    {
        protected abstract PublishDestination Destination { get; }

        RegistryPreflight IPublishRegistry.RegistryPreflight => new(new FakeRegistry(), Log);

        Target IVersioning.Version => _ => _.Produces(_ => Task.FromResult(
            new ReleaseVersion(SemanticVersion.Parse("1.2.3"), new GitFacts(Sha, DateTimeOffset.UnixEpoch, null, 1, null))));

        Target IPublishRegistry.PublishRegistry => _ => _.Produces(_ => Task.FromResult(Destination));

        Target IChartPublish.ChartPush => _ => _
            .DependsOn(this.From<IVersioning>().Version, this.From<IPublishRegistry>().PublishRegistry, this.From<IPublishRegistry>().PublishPreflight)
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

    private static Dictionary<string, string> KeylessInActions(string workflow = "publish.yml") => new()
    {
        ["CI"] = "true",
        ["GITHUB_ACTIONS"] = "true",
        ["ACTIONS_ID_TOKEN_REQUEST_URL"] = "https://token.actions.githubusercontent.invalid/request",
        ["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = "request-token-1",
        ["GITHUB_SERVER_URL"] = "https://github.com",
        ["GITHUB_REPOSITORY"] = "acme/beacon",
        ["GITHUB_REF"] = "refs/heads/main",
        ["GITHUB_WORKFLOW_REF"] = $"acme/beacon/.github/workflows/{workflow}@refs/heads/main",
    };

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
        Assert.Equal($"nothing was signed ({PreciseReason})", run.Outcome("VerifySignature").Reason);
        Assert.Matches($@"\nSign +skipped: {Regex(PreciseReason)} ", run.Output);
        Assert.Contains($"| Sign | skipped: {PreciseReason} |", await File.ReadAllTextAsync(stepSummary), StringComparison.Ordinal);
        Assert.Contains($"- Signing: **skipped** — {PreciseReason}", await File.ReadAllTextAsync(stepSummary), StringComparison.Ordinal);
        Assert.Equal(("skipped", PreciseReason), await SigningInReleaseJsonAsync());
        Assert.Equal("skipped", (await VerificationInReleaseJsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_plan_shows_the_skip_reason_where_it_is_known_before_anything_ran()
    {
        var actions = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, ["--plan"], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" });
        var ci = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, ["--plan"], new Dictionary<string, string> { ["CI"] = "true" });

        Assert.Contains($"Sign  after ChartPush, PublishPreflight  [skipped: {PreciseReason}]", actions.Output, StringComparison.Ordinal);
        Assert.Contains($"VerifySignature  after Sign  [skipped: nothing was signed ({PreciseReason})]", actions.Output, StringComparison.Ordinal);
        Assert.Contains("Sign  after ChartPush, PublishPreflight  [only when a signing identity, or a run that must sign: decided when it runs]", ci.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ci_publishing_to_a_real_registry_without_identity_is_refused_in_the_preflight_before_anything_is_pushed()
    {
        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, [], new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["CI"] = "true" });

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(TargetStatus.Failed, run.Outcome("PublishPreflight").Status);
        Assert.StartsWith(PreciseReason + "; this run must sign (CI=true and publishing to ghcr.io): give --cosign-key, or run in GitHub Actions with 'id-token: write'", run.Outcome("PublishPreflight").Reason, StringComparison.Ordinal);
        Assert.Contains("Nothing was pushed.", run.Output, StringComparison.Ordinal);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("ChartPush").Status);
        Assert.False(File.Exists(_root.Combine("artifacts", "release.json")), "nothing was released, so nothing is recorded");
    }

    [Fact]
    public async Task A_key_signs_the_chart_by_digest_and_verify_checks_it_with_the_public_key()
    {
        using var cosign = new FakeCosign().WithKeyPair(PrivateKey, PublicKey);

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable, "--cosign-public-key", PublicKey], new Dictionary<string, string>
        {
            ["CI"] = "true",
            ["COSIGN_PRIVATE_KEY"] = PrivateKey,
        });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal([$"[sign] [--yes] [--key] [env://COSIGN_PRIVATE_KEY] [ghcr.io/acme/charts/demo@{ChartDigest}]"], cosign.SignCalls);
        Assert.Equal([$"[verify] [--key] [env://COSIGN_PUBLIC_KEY] [ghcr.io/acme/charts/demo@{ChartDigest}]"], cosign.VerifyCalls);
        Assert.Equal(("signed", $"key: ghcr.io/acme/charts/demo@{ChartDigest}"), await SigningInReleaseJsonAsync());
        var verification = await VerificationInReleaseJsonAsync();
        Assert.Equal("verified", verification.GetProperty("status").GetString());
        Assert.Equal(new SignatureExpectation.Key(PublicKey).Identity, verification.GetProperty("identity").GetString());
        Assert.Equal([$"ghcr.io/acme/charts/demo@{ChartDigest}"], verification.GetProperty("verified").EnumerateArray().Select(item => item.GetString()));
    }

    [Theory]
    [InlineData(FakeCosign.Version2, "")]
    [InlineData(FakeCosign.Version3, "[--new-bundle-format=true] ")]
    public async Task Keyless_in_actions_signs_and_verifies_against_this_repositorys_publish_workflow_at_the_ref(string version, string format)
    {
        using var cosign = new FakeCosign(version);

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable], KeylessInActions());

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(
            [$"[verify] [--certificate-identity] [{FakeCosign.PublishIdentity}] [--certificate-oidc-issuer] [https://token.actions.githubusercontent.com] {format}[ghcr.io/acme/charts/demo@{ChartDigest}]"],
            cosign.VerifyCalls);
        Assert.True(run.Outcome("VerifySignature").Started > run.Outcome("Sign").Started);
        var verification = await VerificationInReleaseJsonAsync();
        Assert.Equal(FakeCosign.PublishIdentity, verification.GetProperty("identity").GetString());
        Assert.Equal("https://token.actions.githubusercontent.com", verification.GetProperty("issuer").GetString());
        Assert.StartsWith(version == FakeCosign.Version2 ? "cosign v2.4.1" : "cosign v3.0.6", verification.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signature_that_does_not_verify_fails_the_publish_naming_the_digest_and_the_record_says_so()
    {
        using var cosign = new FakeCosign(FakeCosign.Version3, oidcIdentity: "https://github.com/acme/beacon/.github/workflows/publish.yml@refs/heads/feature");

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable], KeylessInActions());

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(TargetStatus.Succeeded, run.Outcome("Sign").Status);
        Assert.Equal(TargetStatus.Failed, run.Outcome("VerifySignature").Status);
        Assert.Contains($"{ChartDigest} (ghcr.io/acme/charts/demo@{ChartDigest}) does not verify", run.Output, StringComparison.Ordinal);
        Assert.Contains("expected SAN value", run.Output, StringComparison.Ordinal);
        var verification = await VerificationInReleaseJsonAsync();
        Assert.Equal("failed", verification.GetProperty("status").GetString());
        Assert.Contains(ChartDigest, verification.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_without_its_public_key_is_refused_in_the_preflight()
    {
        using var cosign = new FakeCosign();

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable, "--cosign-key", PrivateKey], new Dictionary<string, string> { ["CI"] = "true" });

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Equal(TargetStatus.Failed, run.Outcome("PublishPreflight").Status);
        Assert.Contains("give --cosign-public-key", run.Output, StringComparison.Ordinal);
        Assert.Empty(cosign.Calls);
        Assert.DoesNotContain("c2VjcmV0LWtleS1ieXRlcw", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_of_another_workflow_is_refused_in_the_preflight()
    {
        using var cosign = new FakeCosign();

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", cosign.Executable], KeylessInActions(workflow: "ci.yml"));

        Assert.Equal(TargetStatus.Failed, run.Outcome("PublishPreflight").Status);
        Assert.Contains("this run's workflow is https://github.com/acme/beacon/.github/workflows/ci.yml@refs/heads/main", run.Output, StringComparison.Ordinal);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("ChartPush").Status);
    }

    [Fact]
    public async Task A_cosign_named_with_the_parameter_that_does_not_exist_is_refused_in_the_preflight()
    {
        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, ["--cosign", _root.Combine("no-cosign")], KeylessInActions());

        Assert.Equal(TargetStatus.Failed, run.Outcome("PublishPreflight").Status);
        Assert.Contains($"there is no cosign to sign with: --cosign (SLIPWAY_COSIGN) names '{_root.Combine("no-cosign")}', which does not exist.", run.Output, StringComparison.Ordinal);
        Assert.Contains("Give the path of a cosign executable, or leave it unset to use the pinned cosign v3.0.6. In GitHub Actions, install it with sigstore/cosign-installer (cosign-release: v3.0.6), as publish.yml does. Nothing was pushed.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_parameter_a_cosign_on_path_is_resolved_like_every_pinned_tool_and_the_output_says_which()
    {
        using var cosign = new FakeCosign(FakeCosign.Version3);
        var environment = KeylessInActions();
        environment["PATH"] = Path.GetDirectoryName(cosign.Executable)!;

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, [], environment);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains($"cosign v3.0.6 from PATH ({cosign.Executable})", run.Output, StringComparison.Ordinal);
        Assert.Single(cosign.SignCalls);
        Assert.Single(cosign.VerifyCalls);
    }

    [Fact]
    public async Task A_run_that_must_sign_where_no_cosign_can_be_had_fails_in_the_preflight_naming_how_to_get_it()
    {
        using var nothing = new TempDirectory();
        var environment = KeylessInActions();
        environment["PATH"] = nothing.Path;
        environment["SLIPWAY_TOOL_CACHE"] = nothing.Combine("tools");

        var run = await InProcessBuild.RunAsync<ToGhcr>(_root.Path, [], environment);

        Assert.Equal(TargetStatus.Failed, run.Outcome("PublishPreflight").Status);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("ChartPush").Status);
        Assert.Contains("there is no cosign to sign with: No usable cosign: cosign is not on PATH; https://github.com/sigstore/cosign/releases/download/v3.0.6/cosign-linux-amd64 is unreachable", run.Output, StringComparison.Ordinal);
        Assert.Contains("Install cosign (https://docs.sigstore.dev/cosign/system_config/installation/), name one with --cosign <path>, or make a source above reachable. In GitHub Actions, install it with sigstore/cosign-installer (cosign-release: v3.0.6), as publish.yml does. Nothing was pushed.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_does_not_sign_never_looks_for_cosign()
    {
        using var nothing = new TempDirectory();

        var run = await InProcessBuild.RunAsync<ToEmbeddedRegistry>(_root.Path, [], new Dictionary<string, string> { ["PATH"] = nothing.Path, ["SLIPWAY_TOOL_CACHE"] = nothing.Combine("tools") });

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("Preflight: this run does not sign (no signing identity)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("cosign v", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(nothing.Combine("tools")));
    }

    private async Task<(string? Status, string? Reason)> SigningInReleaseJsonAsync()
    {
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(_root.Combine("artifacts", "release.json")));
        var signing = record.RootElement.GetProperty("signing");
        return (signing.GetProperty("status").GetString(), signing.GetProperty("reason").GetString());
    }

    private async Task<JsonElement> VerificationInReleaseJsonAsync()
    {
        using var record = JsonDocument.Parse(await File.ReadAllTextAsync(_root.Combine("artifacts", "release.json")));
        return record.RootElement.GetProperty("signatureVerification").Clone();
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
