using Slipway.Release.Containers;
using Slipway.Release.Pipeline;
using Slipway.Release.Smoke;
using Slipway.Release.Versioning;
using Slipway.Workflows;

namespace Slipway.Release.Tests.Pipeline;

/// <summary>What a repository gets from the one line <c>class Build : SlipwayBuild, IServicePipeline</c>.</summary>
public sealed class ServicePipelineTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.ForBuild();

    public void Dispose() => _root.Dispose();

    private sealed class AdopterBuild : SlipwayBuild, IServicePipeline
    {
        string IContainerImage.ImageProject => "src/Ledger/Ledger.csproj";

        SmokeEndpoints ISmokeContract.SmokeEndpoints => new(new ProvenanceEndpoint("/about", "release", "commit", "chart"), ["/orders"]);
    }

    [Fact]
    public async Task Ci_is_every_gate_compile_tests_chart_gates_schema_and_workflows()
    {
        var (exitCode, output) = await InProcessBuild.RunAsync<AdopterBuild>(_root.Path, ["--plan", "Ci", "--max-parallel", "1"]);

        Assert.True(exitCode == 0, output);
        var planned = output.Split('\n').Select(line => line.Trim().Split("  ")[0]).Where(name => name.Length > 0 && !name.Contains(' ', StringComparison.Ordinal)).ToList();
        Assert.Equal(
            ["ChartCoverage", "ChartGates", "ChartLint", "ChartPolicy", "ChartRender", "CheckBuildSchema", "CheckWorkflows", "Ci", "Compile", "IntegrationTests", "LintWorkflows", "ManifestValidate", "UnitTests"],
            planned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publish_is_the_container_release()
    {
        var (exitCode, output) = await InProcessBuild.RunAsync<AdopterBuild>(_root.Path, ["--plan", "Publish", "--max-parallel", "1"]);

        Assert.True(exitCode == 0, output);
        foreach (var target in new[] { "ImageBuild", "ChartPackage", "ImageSmoke", "ChartPush", "VerifyAnonymousPull", "Sign", "Publish" })
            Assert.Contains($"    {target}", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_workflows_run_Ci_Publish_and_the_PR_lane_and_key_the_tool_cache_on_the_build_project()
    {
        var workflows = ((IGitHubWorkflows)new AdopterBuild()).RenderWorkflows().ToDictionary(workflow => workflow.FileName, workflow => workflow.Text);

        Assert.Equal(["ci.yml", "publish.yml", "pr-smoke.yml", "pr-comment.yml", "janitor.yml"], workflows.Keys);
        Assert.Contains("exec ./build.sh Ci\n", workflows["ci.yml"], StringComparison.Ordinal);
        Assert.Contains("exec ./build.sh Publish --registry", workflows["publish.yml"], StringComparison.Ordinal);
        Assert.Contains("exec ./build.sh PrSmoke --cluster kind", workflows["pr-smoke.yml"], StringComparison.Ordinal);
        Assert.Contains("exec ./build.sh PrComment", workflows["pr-comment.yml"], StringComparison.Ordinal);
        Assert.Contains("exec ./build.sh PrSmokeJanitor", workflows["janitor.yml"], StringComparison.Ordinal);
        Assert.All(
            workflows.Where(workflow => workflow.Value.Contains("./build.sh", StringComparison.Ordinal)).Select(workflow => workflow.Value),
            text => Assert.Contains("key: slipway-tools-${{ runner.os }}-${{ hashFiles('build/_build.csproj') }}", text, StringComparison.Ordinal));
    }

    [Fact]
    public void The_image_gets_the_version_and_commit_through_the_SDK_s_own_properties()
    {
        var git = new GitFacts("0123456789abcdef0123456789abcdef01234567", DateTimeOffset.UnixEpoch, null, 3, null);
        var version = new ReleaseVersion(SemanticVersion.Parse("0.0.1-ci.3.g0123456"), git);

        var properties = ((IContainerImage)new AdopterBuild()).ImageBuildProperties(version);

        Assert.Equal(new Dictionary<string, string> { ["Version"] = "0.0.1-ci.3.g0123456", ["SourceRevisionId"] = git.Sha }, properties);
    }
}
