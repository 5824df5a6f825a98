using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class InstallStageTests
{
    private static readonly HelmInstall Install = new("beacon-abcde", "beacon-0.1.1.tgz", "pr-7-abcde", new KubeConnection("k", "kind-x"), TimeSpan.FromMinutes(5));

    [Theory]
    [InlineData("4.1.4", "Error: resource Deployment/pr-7-abcde/beacon-abcde-beacon not ready. status: InProgress, message: Available: 0/1\ncontext deadline exceeded", "helm 4's kstatus watcher")]
    [InlineData("3.17.2", "Error: context deadline exceeded", "helm 3's readiness poll")]
    public async Task A_failed_install_says_what_the_namespace_shows_not_ready_whatever_helm_s_words(string version, string helmSays, string waiter)
    {
        var helm = new ScriptedHelm(Version.Parse(version)) { Install = _ => throw new HelmException($"helm upgrade failed (exit 1):\n{helmSays}", 1) };
        var looked = 0;

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new InstallStage(helm, new RecordingLog()).InstallAsync(
            Install,
            () =>
            {
                looked++;
                return Task.FromResult<IReadOnlyList<string>>(["Deployment/beacon-abcde-beacon 0/1: 0 of 1 replicas ready"]);
            },
            CancellationToken.None));

        Assert.Equal(1, looked);
        Assert.StartsWith($"helm {version} upgrade --install beacon-abcde failed ({waiter}, --timeout 300s); not ready then: Deployment/beacon-abcde-beacon 0/1: 0 of 1 replicas ready.", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(helmSays, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_install_says_which_waiter_decided_and_does_not_look_at_the_workloads()
    {
        var log = new RecordingLog();

        var detail = await new InstallStage(new ScriptedHelm(new Version(3, 17, 2)), log).InstallAsync(Install, () => throw new InvalidOperationException("not asked"), CancellationToken.None);

        Assert.Contains("helm 3's readiness poll", detail, StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("waiting up to 300 s", StringComparison.Ordinal));
    }
}
