using Slipway.Release.Workflows;
using Slipway.Workflows;

namespace Slipway.Release.Tests.Workflows;

/// <summary>
/// <see cref="PrLaneWorkflows"/> as another repository adopts it (<see cref="LaneBuild"/>: every option changed); this
/// repository's own lane, with the defaults, is held to its rules in <see cref="CommittedWorkflowsTests"/>.
/// </summary>
public sealed class PrLaneWorkflowsTests : IDisposable
{
    private static readonly string[] LaneFiles = ["pr-smoke.yml", "pr-comment.yml", "janitor.yml"];

    private readonly IReadOnlyDictionary<string, WorkflowYaml> _workflows = new LaneBuild().Render();
    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_options_reach_the_workflows_a_private_repository_checks_out_with_contents_read_and_the_comment_follows_the_smoke_it_was_given()
    {
        Assert.Equal(LaneFiles, _workflows.Keys);
        Assert.Equal(LaneBuild.SmokeTimeout.ToString(System.Globalization.CultureInfo.InvariantCulture), _workflows["pr-smoke.yml"].Root.Text("jobs", "smoke", "timeout-minutes"));
        Assert.Equal(new Dictionary<string, string> { ["actions"] = "read", ["contents"] = "read", ["pull-requests"] = "write" }, _workflows["pr-comment.yml"].Permissions("comment"));
        Assert.Equal(new Dictionary<string, string> { ["contents"] = "read", ["pull-requests"] = "read" }, _workflows["janitor.yml"].Permissions("janitor"));
        Assert.Equal([_workflows["pr-smoke.yml"].Root.Text("name")], _workflows["pr-comment.yml"].Root.List("on", "workflow_run", "workflows"));

        var janitor = _workflows["janitor.yml"];
        Assert.Equal(LaneBuild.Schedule, janitor.Root.Text("on", "schedule", 0, "cron"));
        Assert.Equal($"${{{{ secrets.{LaneBuild.KubeconfigSecret} != '' }}}}", janitor.Root.Text("jobs", "janitor", "env", "PR_SMOKE_CLUSTER_CONFIGURED"));
        Assert.Contains(janitor.Steps("janitor"), step => step.Has("env") && step.Map("env").Values.Contains($"${{{{ secrets.{LaneBuild.KubeconfigSecret} }}}}"));
        Assert.DoesNotContain("PR_SMOKE_KUBECONFIG", janitor.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_job_gets_setup_steps_of_its_own_so_the_janitors_condition_and_the_comments_checkout_ref_stay_where_they_belong()
    {
        static bool IsSetup(YamlDotNet.RepresentationModel.YamlMappingNode step) =>
            step.Has("uses") && step.Text("uses").StartsWith("actions/setup-dotnet@", StringComparison.Ordinal);

        var janitorSetup = Assert.Single(_workflows["janitor.yml"].Steps("janitor"), IsSetup);
        Assert.Equal("env.PR_SMOKE_CLUSTER_CONFIGURED == 'true'", janitorSetup.Text("if"));
        Assert.Equal("src/global.json", janitorSetup.Text("with", "global-json-file"));
        Assert.False(Assert.Single(_workflows["pr-smoke.yml"].Steps("smoke"), IsSetup).Has("if"));
        Assert.False(Assert.Single(_workflows["pr-comment.yml"].Steps("comment"), IsSetup).Has("if"));
        static bool IsCheckout(YamlDotNet.RepresentationModel.YamlMappingNode step) =>
            step.Has("uses") && step.Text("uses").StartsWith("actions/checkout@", StringComparison.Ordinal);
        Assert.Equal("${{ github.event.repository.default_branch }}", Assert.Single(_workflows["pr-comment.yml"].Steps("comment"), IsCheckout).Text("with", "ref"));
        Assert.False(Assert.Single(_workflows["pr-smoke.yml"].Steps("smoke"), IsCheckout).At("with") is YamlDotNet.RepresentationModel.YamlMappingNode { } with && with.Has("ref"));
    }

    [Fact]
    public void Setup_steps_without_exactly_one_checkout_are_refused_because_the_comment_job_must_check_out_the_default_branch()
    {
        var smoke = new PrLaneWorkflows(() => [Step.SetupDotNet()]).Smoke(new LaneBuild());

        var missing = Assert.Throws<InvalidOperationException>(() => new PrLaneWorkflows(() => [Step.SetupDotNet()]).Comment(new LaneBuild(), smoke));
        var twice = Assert.Throws<InvalidOperationException>(() => new PrLaneWorkflows(() => [Step.Checkout(), Step.Checkout()]).Comment(new LaneBuild(), smoke));

        Assert.Contains("check out the repository exactly once with actions/checkout, found 0", missing.Message, StringComparison.Ordinal);
        Assert.Contains("found 2", twice.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pr-smoke.yml")]
    [InlineData("pr-comment.yml")]
    [InlineData("janitor.yml")]
    public async Task The_drift_gate_names_a_lane_workflow_edited_by_hand_or_deleted(string file)
    {
        var path = _root.Combine(".github", "workflows", file);
        Assert.Equal(0, (await InProcessBuild.RunAsync<LaneBuild>(_root.Path, ["GenerateWorkflows"])).ExitCode);
        Assert.Equal(0, (await InProcessBuild.RunAsync<LaneBuild>(_root.Path, ["CheckWorkflows"])).ExitCode);

        await File.WriteAllTextAsync(path, (await File.ReadAllTextAsync(path)).Replace("cancel-in-progress: false", "cancel-in-progress: true", StringComparison.Ordinal) + "# edited\n");
        var (edited, editedOutput) = await InProcessBuild.RunAsync<LaneBuild>(_root.Path, ["CheckWorkflows"]);

        Assert.NotEqual(0, edited);
        Assert.Contains($".github/workflows/{file} differs from what the build generates", editedOutput, StringComparison.Ordinal);
        Assert.Contains($"--- .github/workflows/{file} (committed)", editedOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(LaneFiles.Where(other => other != file), other => editedOutput.Contains($".github/workflows/{other} ", StringComparison.Ordinal));

        File.Delete(path);
        var (deleted, deletedOutput) = await InProcessBuild.RunAsync<LaneBuild>(_root.Path, ["CheckWorkflows"]);

        Assert.NotEqual(0, deleted);
        Assert.Contains($".github/workflows/{file} is missing: the build generates it", deletedOutput, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}
