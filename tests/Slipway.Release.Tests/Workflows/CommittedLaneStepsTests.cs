using Slipway.FakeCluster;
using Slipway.Release.PrSmoke;
using Slipway.Release.Tests.GitHub;
using Slipway.Release.Tests.PrSmoke;
using Slipway.Release.Tests.PrSmoke.Fakes;
using static Slipway.Release.Tests.Workflows.WorkflowStepRun;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// The committed pr-comment.yml and janitor.yml steps run as a runner runs them (<see cref="WorkflowStepRun"/>), against
/// WireMock.Net playing GitHub and the fake kubectl over a simulated cluster: the workflows and the targets agree on
/// parameters, variables and paths. The janitor runs through the real ./build.sh of the lane's workspace, so kubectl
/// gets KUBECONFIG from the process environment as it does in Actions.
/// </summary>
[Collection(PrSmokeLaneCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CommittedLaneStepsTests(PrSmokeLaneFixture lane) : IDisposable
{
    private const string Repository = $"{FakeGitHub.Owner}/{FakeGitHub.Name}";

    private readonly TempDirectory _root = TempDirectory.ForBuild();
    private readonly TempDirectory _runnerTemp = new();
    private readonly FakeGitHub _github = new(FakeGitHub.ActionsBot);

    public void Dispose()
    {
        _github.Dispose();
        _runnerTemp.Dispose();
        _root.Dispose();
    }

    private static WorkflowYaml Committed(string file) =>
        new(file, File.ReadAllText(Path.Combine(Support.Repository.Root, ".github", "workflows", file)));

    /// <summary>What the runner sets in every step that these steps read.</summary>
    private Dictionary<string, string> Runner => new()
    {
        ["GITHUB_REPOSITORY"] = Repository,
        ["GITHUB_API_URL"] = _github.Url.ToString(),
        ["RUNNER_TEMP"] = _runnerTemp.Path,
        ["CI"] = "true",
    };

    [Fact]
    public async Task The_comment_step_posts_the_result_the_download_step_put_in_its_folder_for_the_events_commit_and_run()
    {
        var steps = Committed("pr-comment.yml").Steps("comment").ToList();
        var expressions = new Dictionary<string, string>
        {
            ["runner.temp"] = _runnerTemp.Path,
            ["github.event.workflow_run.head_sha"] = PrSmokeSamples.Sha,
            ["github.event.workflow_run.id"] = "7001",
            ["github.event.workflow_run.run_attempt"] = "1",
            ["secrets.GITHUB_TOKEN"] = FakeGitHub.Token,
        };
        _github.PullRequests.Add(new FakeGitHub.PullRequest(42, PrSmokeSamples.Sha));
        // What download-artifact leaves: the artifact's files in the step's path.
        var download = steps.Single(step => step.Has("uses") && step.Text("uses").StartsWith("actions/download-artifact@", StringComparison.Ordinal));
        PrSmokeSamples.Passed(runId: 7001, attempt: 1, pullRequest: 42).WriteTo(Evaluate(download.Text("with", "path"), expressions));

        var post = steps.Single(step => step.Has("run"));
        var environment = new Dictionary<string, string>(Runner);
        foreach (var (name, value) in Environment(post, expressions))
            environment[name] = value;
        // PrComment starts no process: in process, the build's environment is all it reads.
        var (exitCode, output) = await InProcessBuild.RunAsync<LaneBuild>(_root.Path, await BuildArgumentsAsync(post.Text("run"), environment), environment);

        Assert.True(exitCode == 0, output);
        Assert.StartsWith($"<!-- slipway:pr-smoke head-sha={PrSmokeSamples.Sha} run-id=7001 run-attempt=1 -->", Assert.Single(_github.Comments(42)).Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGitHub.Token, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false", true)]
    [InlineData("true", false)]
    public async Task The_janitor_steps_write_the_secrets_kubeconfig_privately_and_sweep_that_cluster_or_only_report_in_a_dry_run(string dryRunInput, bool deletes)
    {
        using var cluster = new SimulatedCluster(lane.RealHelm);
        cluster.AddCurrentCluster();
        var now = DateTimeOffset.UtcNow;
        cluster.Change(state =>
        {
            var namespaces = state.Clusters[SimulatedCluster.CurrentContext].Namespaces;
            namespaces["pr-7-expired"] = LaneNamespace(pullRequest: 7, expires: now.AddMinutes(-5));
            namespaces["pr-8-closed"] = LaneNamespace(pullRequest: 8, expires: now.AddHours(1));
            namespaces["pr-9-open"] = LaneNamespace(pullRequest: 9, expires: now.AddHours(1));
        });
        _github.PullRequests.Add(new FakeGitHub.PullRequest(7, new string('7', 40)));
        _github.PullRequests.Add(new FakeGitHub.PullRequest(8, new string('8', 40), "closed"));
        _github.PullRequests.Add(new FakeGitHub.PullRequest(9, new string('9', 40)));
        var steps = Committed("janitor.yml").Steps("janitor").ToList();
        var expressions = new Dictionary<string, string>
        {
            ["runner.temp"] = _runnerTemp.Path,
            ["secrets.PR_SMOKE_KUBECONFIG"] = await File.ReadAllTextAsync(cluster.Kubeconfig),
            ["secrets.GITHUB_TOKEN"] = FakeGitHub.Token,
            ["inputs.dry-run || false"] = dryRunInput,
        };
        // kubectl is on the runner's PATH; here the fake is.
        var runner = new Dictionary<string, string>(Runner) { ["PATH"] = $"{cluster.Root}:{System.Environment.GetEnvironmentVariable("PATH")}" };

        var write = steps.Single(step => step.Text("name") == "Write the shared cluster's kubeconfig");
        var written = await BashAsync(write.Text("run"), lane.Workspace.Root, Merge(runner, Environment(write, expressions)), TimeSpan.FromSeconds(30));
        Assert.True(written.ExitCode == 0, written.Output);
        var kubeconfig = Environment(write, expressions)["KUBECONFIG"];
        Assert.StartsWith(_runnerTemp.Path, kubeconfig, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));

        var sweep = steps.Single(step => step.Has("run") && step.Text("run").Contains("PrSmokeJanitor", StringComparison.Ordinal));
        var (exitCode, output) = await BashAsync(sweep.Text("run"), lane.Workspace.Root, Merge(runner, Environment(sweep, expressions)), TimeSpan.FromMinutes(3));

        Assert.True(exitCode == 0, output);
        var deletions = cluster.CallsOf("kubectl").Where(call => call.Contains("delete namespace", StringComparison.Ordinal)).ToList();
        Assert.Equal(deletes ? 2 : 0, deletions.Count);
        Assert.Equal(deletes, deletions.Any(call => call.Contains("pr-7-expired", StringComparison.Ordinal)) && deletions.Any(call => call.Contains("pr-8-closed", StringComparison.Ordinal)));
        Assert.Contains($"{(deletes ? "deleted" : "would delete")} pr-8-closed: pull request #8 is closed", output, StringComparison.Ordinal);
        Assert.Contains("kept pr-9-open: expires in", output, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeGitHub.Token, output, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Merge(Dictionary<string, string> runner, Dictionary<string, string> step)
    {
        var merged = new Dictionary<string, string>(runner);
        foreach (var (name, value) in step)
            merged[name] = value;
        return merged;
    }

    private static FakeNamespace LaneNamespace(int pullRequest, DateTimeOffset expires) => new()
    {
        CreatedAt = DateTimeOffset.UtcNow.AddHours(-3),
        Labels = { [PrSmokeLabels.ManagedBy] = PrSmokeLabels.ManagedByValue, [PrSmokeLabels.PullRequest] = pullRequest.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        Annotations = { [PrSmokeLabels.ExpiresAt] = PrSmokeLabels.FormatTime(expires) },
    };
}
