using Slipway;
using Slipway.Release.DotNet;
using Slipway.Release.Workflows;
using Slipway.Workflows;

/// <summary>This repository's own pipeline.</summary>
partial class Build : SlipwayBuild, IBuildSchema, IDotNetBuild
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.Ci);

    Target Ci => _ => _
        .Description("Every gate a pull request must pass")
        .DependsOn<IDotNetBuild>()
        .DependsOn(ChartGates)
        .DependsOn(this.From<IBuildSchema>().CheckBuildSchema)
        .DependsOn(this.From<IGitHubWorkflows>().CheckWorkflows, this.From<IWorkflowLint>().LintWorkflows);

    Target Noop => _ => _
        .Description("Does nothing: the engine's own overhead, for benchmarks");
}
