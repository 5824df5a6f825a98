using Slipway.Processes;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Tests.Support;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.PrSmoke;

/// <summary>The tool adapters' command lines and how they read the tools' answers, with the process boundary scripted.</summary>
public sealed class AdapterTests
{
    private static readonly KubeConnection Kind = new("/work/.nuke/temp/pr-smoke/x.kubeconfig", "kind-x");

    private static KubectlCli Kubectl(FakeProcessRunner runner, KubeConnection? connection = null) =>
        new(new ResolvedTool("kubectl", "/bin/kubectl", new Version(1, 35, 2), "test"), runner, new SecretRegistry(), connection ?? Kind);

    private static HelmCli Helm(FakeProcessRunner runner, string version) =>
        new(new ResolvedTool("helm", "/bin/helm", Version.Parse(version), "test"), runner, new SecretRegistry(), "/state");

    [Fact]
    public async Task Every_kubectl_call_names_the_kubeconfig_and_context_and_a_request_timeout()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "{}"));

        await Kubectl(runner).GetJsonAsync("pods", null, "pr-7", "app=beacon", CancellationToken.None);

        Assert.Equal(
            ["get", "pods", "-n", "pr-7", "-l", "app=beacon", "-o", "json", "--request-timeout=15s", "--kubeconfig", "/work/.nuke/temp/pr-smoke/x.kubeconfig", "--context", "kind-x"],
            Assert.Single(runner.Commands).Arguments);
    }

    [Fact]
    public async Task A_named_object_that_is_not_found_is_null_anything_else_throws_without_klog_noise()
    {
        var notFound = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, stderr: "Error from server (NotFound): namespaces \"pr-7\" not found"));
        Assert.Null(await Kubectl(notFound).GetJsonAsync("namespace", "pr-7", null, null, CancellationToken.None));

        var refused = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, stderr:
            "E1201 09:16:52.959140    8992 memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list\"\nThe connection to the server 127.0.0.1:6555 was refused - did you specify the right host or port?"));
        var error = await Assert.ThrowsAsync<KubectlException>(() => Kubectl(refused).GetJsonAsync("namespace", "pr-7", null, null, CancellationToken.None));

        Assert.True(error.IsUnreachable);
        Assert.EndsWith("The connection to the server 127.0.0.1:6555 was refused - did you specify the right host or port?", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("memcache.go", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "yes\n", true)]
    [InlineData(1, "no\n", false)]
    [InlineData(1, "no - RBAC: clusterrole not found\n", false)]
    public async Task Can_i_reads_yes_and_no_from_the_output_not_only_the_exit_code(int exit, string output, bool allowed)
    {
        var answer = await Kubectl(new FakeProcessRunner(_ => FakeProcessRunner.Exit(exit, output))).CanIAsync("create", "namespaces", CancellationToken.None);

        Assert.Equal(allowed, answer.Allowed);
    }

    [Fact]
    public async Task No_current_context_is_null_and_the_server_version_comes_from_version_json()
    {
        var runner = new FakeProcessRunner(command => command.Arguments[0] == "config"
            ? FakeProcessRunner.Exit(1, stderr: "error: current-context is not set")
            : FakeProcessRunner.Exit(0, """{"clientVersion":{"gitVersion":"v1.35.2"},"serverVersion":{"gitVersion":"v1.31.4-gke.1"}}"""));
        var kubectl = Kubectl(runner, KubeConnection.Default);

        Assert.Null(await kubectl.CurrentContextAsync(CancellationToken.None));
        Assert.Equal("v1.31.4-gke.1", await kubectl.ServerVersionAsync(CancellationToken.None));
        Assert.Equal(["config", "current-context"], runner.Commands[0].Arguments);
    }

    [Fact]
    public async Task Teardown_verbs_do_not_wait_and_finalizing_sends_empty_spec_finalizers_to_the_finalize_subresource()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0));
        var kubectl = Kubectl(runner);

        await kubectl.DeleteNamespaceAsync("pr-7", CancellationToken.None);
        await kubectl.ForceDeletePodsAsync("pr-7", CancellationToken.None);
        await kubectl.FinalizeNamespaceAsync("pr-7", CancellationToken.None);

        Assert.Equal(["delete", "namespace", "pr-7", "--wait=false", "--ignore-not-found"], runner.Commands[0].Arguments.Take(5));
        Assert.Equal(["delete", "pods", "--all", "-n", "pr-7", "--force", "--grace-period=0", "--wait=false"], runner.Commands[1].Arguments.Take(8));
        Assert.Equal(["replace", "--raw", "/api/v1/namespaces/pr-7/finalize", "-f", "-"], runner.Commands[2].Arguments.Take(5));
        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"pr-7"},"spec":{"finalizers":[]}}""", runner.Commands[2].StandardInput);
    }

    [Fact]
    public async Task Finalizing_a_namespace_already_gone_is_no_error()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, stderr: "Error from server (NotFound): namespaces \"pr-7\" not found"));

        await Kubectl(runner).FinalizeNamespaceAsync("pr-7", CancellationToken.None);
        await Kubectl(runner).PatchNamespaceFinalizersAsync("pr-7", CancellationToken.None);
    }

    [Theory]
    [InlineData("4.1.4")]
    [InlineData("3.17.2")]
    public async Task Helm_install_waits_with_the_bare_wait_flag_both_lines_read_as_their_own_waiter(string version)
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0));

        await Helm(runner, version).UpgradeInstallAsync(new HelmInstall("beacon-abcde", "/c/beacon-0.1.1.tgz", "pr-7", Kind, TimeSpan.FromSeconds(90.5)), CancellationToken.None);

        Assert.Equal(
            ["upgrade", "--install", "beacon-abcde", "/c/beacon-0.1.1.tgz", "--namespace", "pr-7", "--wait", "--wait-for-jobs", "--timeout", "91s", "--kubeconfig", Kind.Kubeconfig!, "--kube-context", "kind-x"],
            Assert.Single(runner.Commands).Arguments);
    }

    [Fact]
    public async Task Helm_uninstall_ignores_a_missing_release_and_gives_hooks_only_the_time_it_is_told()
    {
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "release \"beacon-abcde\" uninstalled"));

        await Helm(runner, "4.1.4").UninstallAsync("beacon-abcde", "pr-7", Kind, TimeSpan.FromSeconds(2), CancellationToken.None);

        var command = Assert.Single(runner.Commands);
        Assert.Equal(["uninstall", "beacon-abcde", "--namespace", "pr-7", "--ignore-not-found", "--timeout", "2s"], command.Arguments.Take(7));
        Assert.DoesNotContain(command.Arguments, argument => argument.StartsWith("--wait", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kind_lists_clusters_from_stdout_and_reports_its_own_error()
    {
        var kind = new KindCli(new ResolvedTool("kind", "/bin/kind", new Version(0, 32, 0), "test"), new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "kind\nslipway-pr-7\n", "")), new SecretRegistry());
        Assert.Equal(["kind", "slipway-pr-7"], await kind.GetClustersAsync(CancellationToken.None));

        var none = new KindCli(new ResolvedTool("kind", "/bin/kind", new Version(0, 32, 0), "test"), new FakeProcessRunner(_ => FakeProcessRunner.Exit(0, "", "No kind clusters found.")), new SecretRegistry());
        Assert.Empty(await none.GetClustersAsync(CancellationToken.None));

        var broken = new KindCli(new ResolvedTool("kind", "/bin/kind", new Version(0, 32, 0), "test"), new FakeProcessRunner(_ => FakeProcessRunner.Exit(1, "", "ERROR: failed to list clusters")), new SecretRegistry());
        var error = await Assert.ThrowsAsync<KindException>(() => broken.GetClustersAsync(CancellationToken.None));
        Assert.Equal("kind get clusters failed (exit 1): ERROR: failed to list clusters", error.Message);
    }
}
