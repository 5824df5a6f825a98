using Slipway.Processes;

namespace Slipway.Release.DotNet;

/// <summary>Compile a solution and run its tests in two sets: unit tests, and integration tests marked <c>[Trait("Category", "Integration")]</c>.</summary>
public interface IDotNetBuild : ISlipwayBuild
{
    const string IntegrationFilter = "Category=Integration";
    const string UnitFilter = "Category!=Integration";

    [Parameter("Solution (or project) to compile and test, relative to the root; default: the only *.sln or *.slnx there")]
    string? Solution => ParameterValue<string>(nameof(Solution)) ?? SolutionFile.Find(RootDirectory);

    /// <summary>The solution to run, or a failure naming why none was found.</summary>
    string SolutionToBuild => Solution ?? throw new InvalidOperationException(SolutionFile.Problem(RootDirectory));

    [Parameter("Build configuration")]
    string Configuration => ParameterValue<string>(nameof(Configuration)) ?? "Release";

    string TestResultsDirectory => Path.Combine(RootDirectory, "artifacts", "test-results");

    Target Compile => _ => _
        .Description("Build the solution, warnings as errors")
        .Executes(ct => DotNet(ct, "build", SolutionToBuild, "-c", Configuration, "--nologo", "-clp:NoSummary"));

    Target UnitTests => _ => _
        .Description("Run the fast tests (everything not marked Category=Integration)")
        .DependsOn(Compile)
        .Produces(ct => RunTestsAsync("unit", UnitFilter, ct));

    Target IntegrationTests => _ => _
        .Description("Run the tests that use real tools (Category=Integration)")
        .DependsOn(Compile)
        .After(UnitTests)
        .Produces(ct => RunTestsAsync("integration", IntegrationFilter, ct));

    async Task<TestTotals> RunTestsAsync(string set, string filter, CancellationToken cancellationToken)
    {
        var results = Path.Combine(TestResultsDirectory, set);
        if (Directory.Exists(results))
            Directory.Delete(results, recursive: true);

        var run = await Processes.RunAsync(
            new ToolCommand("dotnet", "test", SolutionToBuild, "-c", Configuration, "--no-build", "--nologo",
                "--filter", filter, "--logger", "trx", "--results-directory", results)
            {
                WorkingDirectory = RootDirectory,
                ThrowOnFailure = false,
            },
            cancellationToken);

        var totals = TestTotals.FromTrxDirectory(results);
        Report.SetClosingLine("tests", Shared(() => new TestTotalsBySet()).Record(set, totals).ToString());

        Log.Info($"{set} {totals}");
        if (run.ExitCode != 0 || totals.Failed > 0)
            throw new InvalidOperationException($"{set} tests failed: {totals.Failed} failed (dotnet test exited {run.ExitCode}).");
        return totals;
    }

    Task DotNet(CancellationToken cancellationToken, params string[] arguments) =>
        Processes.RunAsync(new ToolCommand("dotnet", arguments) { WorkingDirectory = RootDirectory }, cancellationToken);
}
