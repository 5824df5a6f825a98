using Slipway;
using Slipway.Release.Pipeline;

/// <summary>This repository's own pipeline: the service pipeline, with Beacon's choices in the partials.</summary>
partial class Build : SlipwayBuild, IServicePipeline
{
    public static int Main(string[] args) => Execute<Build>(args, x => x.From<IServicePipeline>().Ci);

    Target Noop => _ => _
        .Description("Does nothing: the engine's own overhead, for benchmarks");
}
