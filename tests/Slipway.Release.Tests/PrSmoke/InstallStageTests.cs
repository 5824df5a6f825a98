using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Doubles;
using Slipway.Release.Tests.Support;

namespace Slipway.Release.Tests.PrSmoke;

public sealed class InstallStageTests
{
    private static readonly HelmInstall Install = new("beacon-abcde", "beacon-0.1.1.tgz", "pr-7-abcde", new KubeConnection("k", "kind-x"), TimeSpan.FromMinutes(5));

    [Fact]
    public async Task Helm_4_s_failure_names_each_resource_that_was_not_ready()
    {
        var helm = new ScriptedHelm(new Version(4, 1, 4))
        {
            Install = _ => throw new HelmException("helm upgrade failed (exit 1):\nError: resource Deployment/pr-7-abcde/beacon-abcde-beacon not ready. status: InProgress, message: Available: 0/1\ncontext deadline exceeded", 1),
        };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new InstallStage(helm, new RecordingLog()).InstallAsync(Install, CancellationToken.None));

        Assert.StartsWith("helm upgrade --install beacon-abcde failed, not ready: Deployment/pr-7-abcde/beacon-abcde-beacon (InProgress: Available: 0/1).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Helm_3_s_failure_names_nothing_and_the_message_says_where_to_look()
    {
        var helm = new ScriptedHelm(new Version(3, 17, 2)) { Install = _ => throw new HelmException("helm upgrade failed (exit 1):\nError: context deadline exceeded", 1) };

        var error = await Assert.ThrowsAsync<PrSmokeException>(() => new InstallStage(helm, new RecordingLog()).InstallAsync(Install, CancellationToken.None));

        Assert.Contains("helm 3.17.2 waited 300 s and names no resource", error.Message, StringComparison.Ordinal);
        Assert.Contains("the diagnostics show which workload", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_successful_install_says_which_waiter_decided()
    {
        var log = new RecordingLog();

        var detail = await new InstallStage(new ScriptedHelm(new Version(3, 17, 2)), log).InstallAsync(Install, CancellationToken.None);

        Assert.Contains("helm 3's legacy readiness poller", detail, StringComparison.Ordinal);
        Assert.Contains(log.Lines, line => line.Contains("waiting up to 300 s", StringComparison.Ordinal));
    }
}
