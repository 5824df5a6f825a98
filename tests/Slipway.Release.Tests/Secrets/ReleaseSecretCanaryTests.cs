using System.Text.Json;
using Slipway.Execution;
using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.GitHub;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Smoke;
using Slipway.Release.Tests.GitHub;
using Slipway.Release.Tests.PrSmoke;
using Slipway.Release.Tests.Publishing;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Signing;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Secrets;

/// <summary>
/// Canary secrets through whole targets as GitHub Actions runs them: Publish (the real image build and smoke, a registry behind
/// htpasswd that takes the canary password, a canary cosign key and password through the fake cosign) and PrComment (a canary
/// token against WireMock playing GitHub). Neither the canaries nor their encoded forms may show in the output, the build log,
/// any artifact, the step summary, GITHUB_OUTPUT, or any file left under .nuke/temp or the run's temp root.
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class ReleaseSecretCanaryTests(RegistryBinaryFixture binary) : IDisposable
{
    private const string User = "releaser";
    private const string PublicKey = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcanarypublic\n-----END PUBLIC KEY-----";

    private readonly TempDirectory _github = new();

    public void Dispose() => _github.Dispose();

    private string StepSummary => _github.Combine("step-summary.md");

    private string Outputs => _github.Combine("github-output.txt");

    private Dictionary<string, string> InActions(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["CI"] = "true", ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = StepSummary, ["GITHUB_OUTPUT"] = Outputs };
        foreach (var (name, value) in more)
            environment[name] = value;
        return environment;
    }

    private sealed class BeaconRelease : SlipwayBuild, IContainerRelease
    {
        string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

        SmokeEndpoints ISmokeContract.SmokeEndpoints => Smoke.BeaconImageFixture.Endpoints;

        IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) =>
            Smoke.BeaconImageFixture.BuildProperties(version.Version.ToString(), version.Git.Sha, version.Git.CommitTime);

        Target Default => _ => _.DependsOn(this.From<IRelease>().Publish);
    }

    private sealed class CommentBuild : SlipwayBuild, IPrComment;

    [Fact]
    public async Task Publish_with_a_canary_registry_password_cosign_key_and_key_password_shows_none_of_them_anywhere()
    {
        using var workspace = new PublishWorkspace(withService: true);
        var log = new RecordingLog();
        var secrets = new SecretRegistry();
        secrets.Register(SecretCanary.RegistryPassword);
        await using var registry = await EmbeddedRegistry.StartAsync(
            binary.BinaryPath, new ProcessRunner(log, secrets), log, Directory.CreateTempSubdirectory, new RegistryCredentials(User, SecretCanary.RegistryPassword));
        using var cosign = new FakeCosign().WithKeyPair(SecretCanary.CosignKey, PublicKey);

        var run = await InProcessBuild.RunAsync<BeaconRelease>(
            workspace.Root,
            ["--registry", registry.Address, "--registry-username", User, "--cosign", cosign.Executable, "--cosign-public-key", PublicKey],
            InActions(("SLIPWAY_REGISTRY_PASSWORD", SecretCanary.RegistryPassword), ("SLIPWAY_COSIGN_KEY", SecretCanary.CosignKey), ("SLIPWAY_COSIGN_PASSWORD", SecretCanary.CosignPassword)));

        // Every stage that handles a secret ran: the image build and its base through the locked registry, helm's login and
        // push, the tags, signing with the key; the anonymous check fails, as it must for a private registry, and so the
        // signature is not verified (it is checked only for what anyone can pull).
        foreach (var target in new[] { "PublishPreflight", "ImageBuild", "ImageSmoke", "ChartPush", "ImageTag", "Sign" })
            Assert.True(run.Outcome(target).Status == TargetStatus.Succeeded, $"{target}: {run.Outcome(target).Reason}\n{run.Output}");
        Assert.Equal(TargetStatus.Failed, run.Outcome("VerifyAnonymousPull").Status);
        Assert.Equal(TargetStatus.NotRun, run.Outcome("VerifySignature").Status);
        Assert.Contains("is not publicly pullable", run.Output, StringComparison.Ordinal);
        Assert.Equal($"key={FakeCosign.Hash(SecretCanary.CosignKey)} password={FakeCosign.Hash(SecretCanary.CosignPassword)}", string.Join(' ', cosign.Environments[0].Split(' ').Take(2)));
        using (var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(workspace.Root, "artifacts", "release.json"))))
            Assert.Equal("signed", record.RootElement.GetProperty("signing").GetProperty("status").GetString());
        Assert.Contains("chart-digest=sha256:", await File.ReadAllTextAsync(Outputs), StringComparison.Ordinal);
        Assert.Contains("## Release ", await File.ReadAllTextAsync(StepSummary), StringComparison.Ordinal);

        AssertNoLeak(workspace.Root, run, SecretCanary.RegistryPassword, SecretCanary.CosignKey, SecretCanary.CosignPassword);
    }

    [Fact]
    public async Task PrComment_with_a_canary_token_shows_it_nowhere()
    {
        using var root = TempDirectory.ForBuild();
        using var github = new FakeGitHub(FakeGitHub.ActionsBot, SecretCanary.GitHubToken);
        github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        PrSmokeSamples.FailedInInstall().WriteTo(root.Combine("artifacts"));
        var environment = InActions(("SLIPWAY_GITHUB_TOKEN", SecretCanary.GitHubToken), ("GITHUB_REPOSITORY", $"{FakeGitHub.Owner}/{FakeGitHub.Name}"), ("GITHUB_API_URL", github.Url.ToString()));

        var build = new CommentBuild();
        var output = new StringWriter();
        var exitCode = await build.InvokeAsync(new BuildInvocation(["--result", "artifacts/pr-smoke.json", "--head-sha", PrSmokeSamples.Sha], root.Path, output) { Environment = environment, DefaultTarget = "PrComment" });

        Assert.True(exitCode == 0, output.ToString());
        Assert.Single(github.Comments(42));
        AssertNoLeak(root.Path, new InProcessBuild(exitCode, output.ToString(), build.Report, build.TemporaryDirectory), SecretCanary.GitHubToken);
    }

    private void AssertNoLeak(string root, InProcessBuild run, params string[] secrets)
    {
        Assert.False(Directory.Exists(run.RunTemporaryDirectory), $"the run's temp root {run.RunTemporaryDirectory} is left");
        var places = SecretCanary.Places(root, run.Output, run.RunTemporaryDirectory, StepSummary, Outputs);
        Assert.Contains(Path.Combine(root, ".nuke", "temp", "build.log"), places.Keys);
        var leaks = SecretCanary.Leaks(places, secrets);
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }
}
