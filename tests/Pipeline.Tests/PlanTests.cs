using System.Runtime.CompilerServices;
using Slipway;

namespace Pipeline.Tests;

/// <summary>
/// This repository's pipelines as <c>--plan</c> prints them, against the reviewed text in <c>Plans/</c>: a reordering, a new or
/// lost target, a changed dependency or skip reason is a diff someone reviews. After an intended change, rewrite the files with
/// <c>UPDATE_PLANS=1 dotnet test tests/Pipeline.Tests</c> and commit them with the change; without the variable, any difference fails.
/// The run has no environment variables (so no CI context) and a fixed <c>--max-parallel 2</c>, so the text is the same on every machine.
/// </summary>
public sealed class PlanTests
{
    private const string UpdateVariable = "UPDATE_PLANS";

    [Theory]
    [InlineData("Ci")]
    [InlineData("Publish")]
    public async Task The_plan_is_the_reviewed_one(string target)
    {
        var actual = await PlanAsync(target);
        var stored = Path.Combine(PlansDirectory(), $"{target}.txt");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            await File.WriteAllTextAsync(stored, actual);
            return;
        }

        Assert.True(File.Exists(stored), $"No reviewed plan for {target} at {stored}: run {UpdateVariable}=1 dotnet test tests/Pipeline.Tests, review it, commit it.");
        var expected = (await File.ReadAllTextAsync(stored)).ReplaceLineEndings("\n");
        if (expected != actual)
        {
            Assert.Fail($"""
                The plan of {target} is not the reviewed one in {stored} (- reviewed, + now):
                {LineDiff.Of(expected, actual)}
                If the change is intended: {UpdateVariable}=1 dotnet test tests/Pipeline.Tests, then review and commit the diff of Plans/.
                """);
        }
    }

    private static async Task<string> PlanAsync(string target)
    {
        var output = new StringWriter();
        var exitCode = await new global::Build().InvokeAsync(new BuildInvocation(["--plan", target, "--max-parallel", "2"], RepositoryRoot(), output));
        Assert.True(exitCode == 0, output.ToString());
        return output.ToString().ReplaceLineEndings("\n");
    }

    private static string PlansDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Plans");

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
