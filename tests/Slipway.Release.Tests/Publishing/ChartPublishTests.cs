using System.Text.RegularExpressions;
using Slipway.Processes;
using Slipway.Release.Oci;
using Slipway.Release.Publishing;
using Slipway.Release.Registry;
using Slipway.Release.Tests.Registry;
using Slipway.Release.Tests.Support;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Publishing;

/// <summary>The publish path of a chart with the real helm, the real registry process and a real git repository.</summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class ChartPublishTests(RegistryBinaryFixture registryBinary) : IDisposable
{
    private const string Password = "pw-3c9e1f7a";

    private readonly PublishWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class PublishBuild : SlipwayBuild, IChartPublish
    {
        Target Default => _ => _.DependsOn(this.From<IChartPublish>().VerifyAnonymousPull);
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task With_no_registry_an_embedded_one_is_started_pushed_to_verified_anonymously_and_stopped(string helmLine)
    {
        var run = await RunAsync(await HelmLines.BuildArgumentsAsync(helmLine));
        var (exitCode, output) = run;

        Assert.True(exitCode == 0, output);
        Assert.Contains($"helm v{helmLine} from --helm (SLIPWAY_HELM)", output);
        Assert.Contains("Embedded registry listening on 127.0.0.1:", output);
        Assert.Matches(@"Pushed 127\.0\.0\.1:\d+/charts/beacon:0\.1\.0-ci\.1\.g[0-9a-f]{7}@sha256:[0-9a-f]{64} \(read back from the registry\)", output);
        Assert.Contains("helm pull, anonymous: beacon-0.1.0-ci.1.g", output);
        Assert.Contains("stopped and its storage removed", output);
        Assert.NotNull(run.RunTemporaryDirectory);
        Assert.False(Directory.Exists(run.RunTemporaryDirectory), "the run's temp root, with the registry's storage and helm's homes in it, is gone");
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task A_private_registry_takes_the_push_with_credentials_but_fails_anonymous_pull_and_never_shows_the_password(string helmLine)
    {
        await using var registry = await StartRegistryAsync(new RegistryCredentials("releaser", Password));

        var (exitCode, output) = await RunAsync(["--registry", registry.Address, "--registry-username", "releaser", "--registry-password", Password, .. await HelmLines.BuildArgumentsAsync(helmLine)]);

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains($"Pushed {registry.Address}/charts/beacon:", output);
        Assert.Contains("is not publicly pullable", output);
        Assert.Contains("Change visibility", output);
        Assert.DoesNotContain(Password, output);
        // No login stays on disk: helm's registry config (base64 of user:password) lives in the run's temp root, and is logged out of.
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"releaser:{Password}"));
        Assert.All(
            Directory.EnumerateFiles(Path.Combine(_workspace.Root, ".nuke", "temp"), "*", SearchOption.AllDirectories),
            file => Assert.False(File.ReadAllText(file).Contains(Password, StringComparison.Ordinal) || File.ReadAllText(file).Contains(auth, StringComparison.Ordinal), $"{file} holds the registry password"));
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task Republishing_the_same_commit_is_a_no_op_with_the_same_digest_and_changed_content_is_refused(string helmLine)
    {
        await using var registry = await StartRegistryAsync(null);
        var helm = await HelmLines.BuildArgumentsAsync(helmLine);

        var (firstExit, first) = await RunAsync(["--registry", registry.Address, .. helm]);
        var (secondExit, second) = await RunAsync(["--registry", registry.Address, .. helm]);
        Assert.True(firstExit == 0, first);
        Assert.True(secondExit == 0, second);
        var pushedDigest = PushedDigest(first);
        Assert.Contains($"is already published with the same content ({pushedDigest}): nothing to push", second);

        // An uncommitted change is versioned apart (.dirty-<digest>), so other content under a taken version takes a moved release tag.
        _workspace.Git("tag", "v1.0.0");
        var (releaseExit, release) = await RunAsync(["--registry", registry.Address, .. helm]);
        Assert.True(releaseExit == 0, release);
        var releaseDigest = PushedDigest(release);
        await File.AppendAllTextAsync(Path.Combine(_workspace.ChartDirectory, "templates", "NOTES.txt"), "\nA change under a moved tag.\n");
        _workspace.Git("commit", "-q", "-a", "-m", "notes");
        _workspace.Git("tag", "-f", "v1.0.0");
        var (changedExit, changed) = await RunAsync(["--registry", registry.Address, .. helm]);
        Assert.Equal(ExitCodes.Failed, changedExit);
        Assert.Contains("Refusing to overwrite", changed);
        Assert.Contains($"(manifest {releaseDigest})", changed);
        Assert.Matches(@"The registry has chart sha256:[0-9a-f]{64} .*; this build made sha256:[0-9a-f]{64}", changed);
    }

    [Theory]
    [MemberData(nameof(HelmLines.Both), MemberType = typeof(HelmLines))]
    public async Task The_same_commit_gives_the_same_chart_digest_on_two_runs_whatever_the_machines_time_zone(string helmLine)
    {
        var helm = await HelmLines.BuildArgumentsAsync(helmLine);

        Assert.True(File.Exists("/usr/share/zoneinfo/Asia/Kolkata"), "this test needs the tzdata zone it switches to");
        var (firstExit, first) = await RunAsync(helm);
        // helm writes the chart's created annotation in the local zone unless Slipway pins it to UTC.
        var zone = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", "Asia/Kolkata");
        InProcessBuild second;
        try
        {
            second = await RunAsync(helm);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", zone);
        }

        Assert.True(firstExit == 0, first);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Matches("^sha256:[0-9a-f]{64}$", PushedDigest(first));
        Assert.Equal(PushedDigest(first), PushedDigest(second.Output));
    }

    [Fact]
    public async Task An_unreachable_registry_fails_the_preflight_before_anything_is_pushed()
    {
        var (exitCode, output) = await RunAsync("--registry", "127.0.0.1:9");

        Assert.Equal(ExitCodes.Failed, exitCode);
        Assert.Contains("Registry 127.0.0.1:9 is not reachable", output);
        Assert.DoesNotContain("Pushed", output);
    }

    [Theory]
    [InlineData("https://ghcr.io/acme", "without a scheme")]
    [InlineData("GHCR.io/Acme", "host[:port][/namespace] in lower case")]
    public async Task A_malformed_registry_is_named(string registry, string message)
    {
        var (exitCode, output) = await RunAsync("--registry", registry);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(message, output);
    }

    private async Task<EmbeddedRegistry> StartRegistryAsync(RegistryCredentials? credentials)
    {
        var log = new RecordingLog();
        var secrets = new SecretRegistry();
        secrets.Register(Password);
        return await EmbeddedRegistry.StartAsync(registryBinary.BinaryPath, new ProcessRunner(log, secrets), log, Directory.CreateTempSubdirectory, credentials);
    }

    private Task<InProcessBuild> RunAsync(params string[] args) => InProcessBuild.RunAsync<PublishBuild>(_workspace.Root, args);

    private static string PushedDigest(string output) => Regex.Match(output, @"@(sha256:[0-9a-f]{64}) \(read back").Groups[1].Value;
}
