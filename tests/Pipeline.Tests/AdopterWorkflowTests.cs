using Slipway;
using Slipway.Release.Containers;
using Slipway.Release.Pipeline;
using Slipway.Release.Smoke;
using Slipway.Workflows;

namespace Pipeline.Tests;

/// <summary>This repository's workflows are the service pipeline's: its build keeps only its own choice of what pins the tools.</summary>
public sealed class AdopterWorkflowTests
{
    private sealed class AdopterBuild : SlipwayBuild, IServicePipeline
    {
        string IContainerImage.ImageProject => "src/Ledger/Ledger.csproj";

        SmokeEndpoints ISmokeContract.SmokeEndpoints => new(new ProvenanceEndpoint("/about", "release", "commit", "chart"), []);
    }

    [Fact]
    public void This_repository_differs_from_an_adopter_only_in_what_pins_its_tools()
    {
        var adopter = ((IGitHubWorkflows)new AdopterBuild()).RenderWorkflows();
        var ours = ((IGitHubWorkflows)new global::Build()).RenderWorkflows();

        Assert.Equal(adopter.Select(workflow => workflow.FileName), ours.Select(workflow => workflow.FileName));
        foreach (var (theirs, mine) in adopter.Zip(ours))
        {
            Assert.Equal(
                theirs.Text.Replace("hashFiles('build/_build.csproj')", "hashFiles('src/Slipway.Release/Tools/PinnedTools.cs')", StringComparison.Ordinal),
                mine.Text);
        }
    }
}
