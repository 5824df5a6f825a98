using Slipway.Release.PrSmoke;

namespace Slipway.Release.Tests.PrSmoke;

/// <summary>Results as the lane writes them: one that passed, one that failed in the install with diagnostics.</summary>
internal static class PrSmokeSamples
{
    public const string Sha = "0123456789abcdef0123456789abcdef01234567";
    public const string Repository = "acme/widgets";
    public static readonly string Digest = "sha256:" + new string('e', 64);

    public static PrSmokeResult Passed(string sha = Sha, long runId = 7001, int attempt = 1, int pullRequest = 42) => new(
        Repository,
        pullRequest,
        sha,
        $"0.1.1-pr.{pullRequest}.3.g{sha[..7]}",
        new PrSmokeRun(runId, attempt, $"https://github.com/{Repository}/actions/runs/{runId}/attempts/{attempt}"),
        PrSmokeStatus.Passed,
        new PrSmokeImage($"kind.local/widgets:pr-{pullRequest}-{sha[..7]}", Digest),
        new PrSmokeCluster(PrSmokeClusterMode.Kind, "kind-slipway-7001", "v1.31.2"),
        $"pr-{pullRequest}-{runId}-{attempt}-x7k2p",
        $"widgets-pr-{pullRequest}",
        Steps(PrSmokeStepStatus.Passed, failedAt: null),
        [
            new PrSmokeCheck("GET /healthz", true, "200"),
            new PrSmokeCheck("GET /ready", true, "200 after 1.2 s"),
            new PrSmokeCheck("GET /version", true, $"version=0.1.1-pr.{pullRequest}.3.g{sha[..7]}, git_sha={sha}"),
            new PrSmokeCheck("GET /api/v1/health without credentials", true, "401"),
        ],
        null,
        new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 12, 1, 9, 33, 20, TimeSpan.Zero));

    public static PrSmokeResult FailedInInstall(string sha = Sha, long runId = 7002, int attempt = 1) => Passed(sha, runId, attempt) with
    {
        Status = PrSmokeStatus.Failed,
        Steps = Steps(PrSmokeStepStatus.Passed, failedAt: PrSmokeStepName.Install),
        SmokeChecks = [],
        Diagnostics = new PrSmokeDiagnostics("artifacts/diagnostics/pr-42-7002-1-x7k2p/", "pod widgets-0: CrashLoopBackOff (3 restarts); last log: listen tcp :8080: bind: permission denied"),
    };

    /// <summary>Every step in order: passed up to <paramref name="failedAt"/>, which failed, then skipped ones; diagnostics only after a failure; teardown always.</summary>
    public static IReadOnlyList<PrSmokeStep> Steps(PrSmokeStepStatus status, PrSmokeStepName? failedAt)
    {
        var steps = new List<PrSmokeStep>();
        var failed = false;
        foreach (var name in Enum.GetValues<PrSmokeStepName>())
        {
            var duration = TimeSpan.FromMilliseconds(1000 + ((int)name * 250));
            if (name == PrSmokeStepName.Teardown)
                steps.Add(new PrSmokeStep(name, PrSmokeStepStatus.Passed, duration, "helm uninstall, namespace deleted"));
            else if (name == PrSmokeStepName.Diagnostics)
                steps.Add(failed ? new PrSmokeStep(name, PrSmokeStepStatus.Passed, duration, "written") : new PrSmokeStep(name, PrSmokeStepStatus.Skipped, TimeSpan.Zero, "nothing failed"));
            else if (name == failedAt)
            {
                steps.Add(new PrSmokeStep(name, PrSmokeStepStatus.Failed, duration, "timed out waiting for the condition"));
                failed = true;
            }
            else
                steps.Add(failed ? new PrSmokeStep(name, PrSmokeStepStatus.Skipped, TimeSpan.Zero, "an earlier step failed") : new PrSmokeStep(name, status, duration, string.Empty));
        }

        return steps;
    }
}
