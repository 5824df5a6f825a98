using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Helm;

public sealed class HelmCliTests
{
    private const string Digest = "sha256:1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988";

    [Theory]
    [InlineData("3.15.0", "oci://127.0.0.1:5000/charts")]
    [InlineData("3.17.2", "oci://localhost:5000/charts")]
    [InlineData("4.1.4", "oci://[::1]:5000/charts")]
    public async Task Push_and_pull_to_a_loopback_registry_say_plain_http(string version, string registry)
    {
        var runner = new FakeProcessRunner(command => command.Arguments[0] == "push"
            ? FakeProcessRunner.Exit(0, stderr: $"Pushed: 127.0.0.1:5000/charts/app:1.0.0\nDigest: {Digest}\n")
            : FakeProcessRunner.Exit(0));
        using var pulled = new TempDirectory();
        File.WriteAllText(pulled.Combine("app-1.0.0.tgz"), string.Empty);

        await Cli(runner, version).PushAsync("app-1.0.0.tgz", registry, plainHttp: true);
        await Cli(runner, version).PullAsync(registry + "/app", "1.0.0", pulled.Path, plainHttp: true);

        Assert.All(runner.Commands, command => Assert.Contains("--plain-http", command.Arguments));
    }

    [Theory]
    [InlineData("3.15.0", false)]
    [InlineData("3.17.2", false)]
    [InlineData("3.18.0", true)]
    [InlineData("4.1.4", true)]
    public async Task Registry_login_says_plain_http_only_where_helm_knows_the_flag(string version, bool expectFlag)
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "Login Succeeded\n"));

        await Cli(runner, version).LoginAsync("127.0.0.1:5000", "releaser", "pw-1a2b3c", plainHttp: true);

        var command = Assert.Single(runner.Commands);
        Assert.Equal(expectFlag, command.Arguments.Contains("--plain-http"));
        Assert.DoesNotContain("pw-1a2b3c", command.Arguments);
        Assert.Equal("pw-1a2b3c", command.StandardInput);
    }

    [Fact]
    public async Task Plain_http_to_a_remote_registry_is_refused_before_helm_runs()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0));

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Cli(runner, "4.1.4").PushAsync("app-1.0.0.tgz", "oci://ghcr.io/team/charts", plainHttp: true));

        Assert.Contains("oci://ghcr.io/team/charts", refused.Message);
        Assert.Empty(runner.Commands);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Push_reads_reference_and_digest_from_either_stream(bool onStdout)
    {
        // helm 3.17.2 and 4.1.4 report on stderr (checked with the real binaries), helm 3.10 did on stdout.
        var report = $"Pushed: ghcr.io/team/charts/app:1.0.0\nDigest: {Digest}\n";
        var runner = new FakeProcessRunner(_ => onStdout ? FakeProcessRunner.Exit(0, stdout: report) : FakeProcessRunner.Exit(0, stderr: report));

        var pushed = await Cli(runner, "4.1.4").PushAsync("app-1.0.0.tgz", "oci://ghcr.io/team/charts", plainHttp: false);

        Assert.Equal(new HelmPushResult("ghcr.io/team/charts/app:1.0.0", Digest), pushed);
        Assert.Equal(["push", "app-1.0.0.tgz", "oci://ghcr.io/team/charts"], Assert.Single(runner.Commands).Arguments);
    }

    [Fact]
    public async Task Helm_runs_with_isolated_homes()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "kind: ConfigMap\n"));

        await Cli(runner, "3.17.2").TemplateAsync("chart", "release");

        var environment = Assert.Single(runner.Commands).Environment;
        Assert.Equal("/state/config", environment["HELM_CONFIG_HOME"]);
        Assert.Equal("/state/cache", environment["HELM_CACHE_HOME"]);
        Assert.Equal("/state/data", environment["HELM_DATA_HOME"]);
        Assert.Equal("/state/config/registry/config.json", environment["HELM_REGISTRY_CONFIG"]);
        Assert.Equal("UTC", environment["TZ"]);
    }

    [Fact]
    public async Task Registry_logins_are_kept_in_the_folder_given_for_them_not_in_the_state_directory()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "Login Succeeded\n"));
        var cli = new HelmCli(Helm("4.1.4"), runner, new SecretRegistry(), "/repo/.nuke/temp/helm", "/tmp/slipway-build-1/slipway-helm-registry-x");

        await cli.LoginAsync("ghcr.io", "releaser", "pw-1a2b3c", plainHttp: false);
        await cli.LogoutAsync("ghcr.io");
        await cli.WithStateDirectory("/empty/home").TemplateAsync("chart", "release");

        Assert.Equal(["registry", "logout", "ghcr.io"], runner.Commands[1].Arguments);
        Assert.All(runner.Commands.Take(2), command => Assert.Equal("/tmp/slipway-build-1/slipway-helm-registry-x/config.json", command.Environment["HELM_REGISTRY_CONFIG"]));
        Assert.Equal("/empty/home/config/registry/config.json", runner.Commands[2].Environment["HELM_REGISTRY_CONFIG"]);
    }

    [Theory]
    [InlineData("push")]
    [InlineData("pull")]
    [InlineData("registry")]
    public async Task A_transient_registry_fault_is_retried_under_the_shared_policy_and_a_permanent_one_fails_at_once(string verb)
    {
        using var pulled = new TempDirectory();
        File.WriteAllText(pulled.Combine("app-1.0.0.tgz"), string.Empty);
        var calls = 0;
        var runner = new FakeProcessRunner(command => command.Arguments[0] != verb
            ? FakeProcessRunner.Exit(0)
            : ++calls switch
            {
                1 => FakeProcessRunner.Exit(1, stderr: "Error: unexpected status from HEAD request to https://ghcr.io/v2/team/charts/app/blobs/sha256:x: 502 Bad Gateway\n"),
                2 => FakeProcessRunner.Exit(0, stderr: $"Pushed: ghcr.io/team/charts/app:1.0.0\nDigest: {Digest}\n"),
                _ => FakeProcessRunner.Exit(1, stderr: "Error: unexpected status from POST request to https://ghcr.io/v2/team/charts/app/blobs/uploads/: 403 Forbidden\n"),
            });
        var log = new RecordingLog();
        var time = new InstantTime();
        var cli = new HelmCli(Helm("4.1.4"), runner, new SecretRegistry(), "/state", retry: new RegistryRetry(log, new RetryBudget(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(1)), time));
        Func<Task> call = verb switch
        {
            "push" => () => cli.PushAsync("app-1.0.0.tgz", "oci://ghcr.io/team/charts", plainHttp: false),
            "pull" => () => cli.PullAsync("oci://ghcr.io/team/charts/app", "1.0.0", pulled.Path, plainHttp: false),
            _ => () => cli.LoginAsync("ghcr.io", "releaser", "pw-1a2b3c", plainHttp: false),
        };

        await call();
        var permanent = await Assert.ThrowsAsync<HelmException>(call);

        Assert.Equal(3, calls);
        Assert.Single(log.Lines, line => line.StartsWith("warning: helm ", StringComparison.Ordinal) && line.Contains("'502' in its output; retry 1 of 2 in ", StringComparison.Ordinal));
        Assert.Single(time.Waits);
        Assert.Contains("403 Forbidden", permanent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_retry_policy_a_registry_verb_is_tried_once()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, stderr: "Error: 503 Service Unavailable\n"));

        await Assert.ThrowsAsync<HelmException>(() => Cli(runner, "4.1.4").PushAsync("app-1.0.0.tgz", "oci://ghcr.io/team/charts", plainHttp: false));

        Assert.Single(runner.Commands);
    }

    [Fact]
    public async Task Template_is_captured_not_streamed_and_passes_values_and_kube_version()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "kind: ConfigMap\n"));

        var rendered = await Cli(runner, "3.17.2").TemplateAsync("chart", "release", "chart/ci/small.yaml", "1.30.0");

        Assert.Equal("kind: ConfigMap\n", rendered);
        var command = Assert.Single(runner.Commands);
        Assert.False(command.StreamOutput);
        Assert.Equal(["template", "release", "chart", "--values", "chart/ci/small.yaml", "--kube-version", "1.30.0"], command.Arguments);
    }

    [Fact]
    public async Task Lint_failure_keeps_helms_findings_from_stdout_and_stderr()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(
            1,
            "==> Linting chart\n[ERROR] templates/: template: app/templates/deployment.yaml:7:3: unexpected EOF\n",
            "Error: 1 chart(s) linted, 1 chart(s) failed\n"));

        var failure = await Assert.ThrowsAsync<HelmException>(() => Cli(runner, "3.17.2").LintAsync("chart", ["chart/ci/a.yaml"], strict: true));

        Assert.Equal(["lint", "chart", "--strict", "--values", "chart/ci/a.yaml"], Assert.Single(runner.Commands).Arguments);
        Assert.Contains("[ERROR] templates/: template: app/templates/deployment.yaml:7:3: unexpected EOF", failure.Message);
        Assert.Contains("1 chart(s) failed", failure.Message);
        Assert.Equal(1, failure.ExitCode);
    }

    [Fact]
    public async Task Failure_messages_are_redacted()
    {
        var secrets = new SecretRegistry();
        secrets.Register("s3cr3t-token");
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, stderr: "Error: unauthorized: token s3cr3t-token rejected\n"));
        var cli = new HelmCli(Helm("3.17.2"), runner, secrets, "/state");

        var failure = await Assert.ThrowsAsync<HelmException>(() => cli.PullAsync("oci://ghcr.io/team/charts/app", "1.0.0", Path.GetTempPath(), plainHttp: false));

        Assert.DoesNotContain("s3cr3t-token", failure.Message);
        Assert.Contains("token *** rejected", failure.Message);
    }

    [Fact]
    public async Task Package_returns_the_path_helm_reports()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "Successfully packaged chart and saved it to: /out/app-1.0.0.tgz\n"));

        var package = await Cli(runner, "3.17.2").PackageAsync("chart", "/out");

        Assert.Equal("/out/app-1.0.0.tgz", package);
    }

    private static HelmCli Cli(IProcessRunner runner, string version) => new(Helm(version), runner, new SecretRegistry(), "/state");

    private static ResolvedTool Helm(string version) => new("helm", "/usr/local/bin/helm", Version.Parse(version), "test");
}
