namespace Slipway.Release.Tests.BadInputs;

/// <summary>Component parameters whose checks are pure: refused before anything runs, also for --plan.</summary>
public sealed partial class BadInputCatalogue
{
    private static BadInput[] ComponentParameters =>
    [
        new("platform the image build cannot build", "Version", "--platforms", "linux/s390x")
        {
            Says = ["Parameter --platforms must be a platform the image build supports: linux/amd64, linux/arm64", "got 'linux/s390x'"],
        },
        new("one bad platform in a SLIPWAY_ list", "Version")
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_PLATFORMS"] = "linux/amd64,windows/amd64" },
            Says = ["got 'windows/amd64'", "SLIPWAY_PLATFORMS"],
        },
        new("--plan with a bad platform", "--plan", "ImageBuild", "--platforms", "linux/s390x") { Says = ["got 'linux/s390x'"] },
        new("kube version banana", "Version", "--kube-version", "banana")
        {
            Says = ["Parameter --kube-version must be a Kubernetes version MAJOR.MINOR[.PATCH] such as 1.31.0, got 'banana'."],
        },
        new("kube version with a v", "Version", "--kube-version", "v1.31.0") { Says = ["--kube-version", "got 'v1.31.0'"] },
        new("registry port out of range", "Version", "--registry", "127.0.0.1:99999")
        {
            Says = ["Parameter --registry must have a port from 1 to 65535, got '127.0.0.1:99999'."],
        },
        new("registry port 0", "Version", "--registry", "localhost:0/team") { Says = ["must have a port from 1 to 65535"] },
        new("registry with a scheme", "Version", "--registry", "https://ghcr.io/acme") { Says = ["without a scheme"] },
        new("registry in upper case", "Version", "--registry", "GHCR.io/Acme") { Says = ["host[:port][/namespace] in lower case"] },
        new("registry without a host", "Version", "--registry", "acme/charts") { Says = ["has a dot, a port or is localhost", "'acme'"] },
        new("registry from a SLIPWAY_ variable", "Version")
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_REGISTRY"] = "ghcr.io:70000/acme" },
            Says = ["got 'ghcr.io:70000/acme'", "correct or unset SLIPWAY_REGISTRY"],
        },
        new("chart dir that does not exist", "Version", "--chart-dir", "charts/missing")
        {
            Says = ["Parameter --chart-dir must be an existing directory (relative to the repository root", "got 'charts/missing'"],
        },
        new("chart dir that is a file", "Version", "--chart-dir", "README.md") { Says = ["must be a directory, not a file", "got 'README.md'"] },
        new("branch coverage above 100", "Version", "--min-branch-coverage", "101") { Says = ["Parameter --min-branch-coverage must be from 0 to 100, got '101'."] },
        new("branch coverage below 0 in parameters.json", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "{ \"MinBranchCoverage\": -1 }"),
            Says = ["must be from 0 to 100, got '-1'", ".nuke/parameters.json line 1"],
        },
        new("branch coverage not a number", "Version", "--min-branch-coverage", "most") { Says = ["Parameter --min-branch-coverage expects double, got 'most'."] },
        new("pull request number 0", "Version", "--pull-request", "0") { Says = ["Parameter --pull-request must be at least 1, got '0'."] },
    ];

    /// <summary>Chart states a gate refuses before helm runs (exit 1: the target fails).</summary>
    private static BadInput[] Charts =>
    [
        new("ci/invalid cases with no values.schema.json (reproduction 8)", "ChartRender")
        {
            Arrange = workspace =>
            {
                workspace.AddShippedChart();
                File.Delete(Path.Combine(workspace.Root, "charts", "beacon", "values.schema.json"));
            },
            ExitCode = ExitCodes.Failed,
            Says = ["charts/beacon has ", " ci/invalid case(s) (", "but no values.schema.json, so nothing can reject them", "Next step: restore charts/beacon/values.schema.json"],
            Never = ["accepted, but the schema must reject it"],
        },
    ];
}
