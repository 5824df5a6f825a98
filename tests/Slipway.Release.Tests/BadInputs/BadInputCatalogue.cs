using System.Reflection;
using System.Text.RegularExpressions;
using Slipway.Release.Containers;
using Slipway.Release.Helm.Coverage;

namespace Slipway.Release.Tests.BadInputs;

/// <summary>
/// The bad-input catalogue: each case is run the way a user runs the build and must end with its exit code, say its key words,
/// never show what it must not, and leave nothing behind: no process of the run, no run temp folder, no file in the workspace
/// beyond the build log, no tag in the registries it may push to. To add cases, add a partial file with a static
/// <c>BadInput[]</c> property: the theory below finds every such property. A case runs the catalogue's build unless it names
/// another (<see cref="BadInput.Build"/>); <c>{registry}</c> is an open registry's address, <c>{locked}</c> one behind
/// htpasswd, <c>{cosign}</c> the fake cosign (<see cref="BadInputRegistries"/>).
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class BadInputCatalogue(BadInputRegistries registries) : IClassFixture<BadInputRegistries>
{
    public static TheoryData<string> Cases => [.. AllCases().Select(input => input.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_input_ends_with_its_exit_code_and_a_clear_message_and_leaves_nothing_behind(string name)
    {
        var input = AllCases().Single(input => input.Name == name).Expand(registries.Expand);

        await AssertHandledAsync(input, input.Build?.Invoke() ?? new CatalogueBuild());

        Assert.Empty(await registries.TagsAsync());
    }

    [Fact]
    public void Case_names_are_unique() =>
        Assert.Empty(AllCases().GroupBy(input => input.Name).Where(group => group.Count() > 1).Select(group => group.Key));

    internal static async Task AssertHandledAsync(BadInput input, SlipwayBuild build)
    {
        using var workspace = new BadInputWorkspace();
        input.Arrange(workspace);
        var filesBefore = workspace.Files();
        var output = new StringWriter();
        var invocation = new BuildInvocation(input.Arguments, Path.Combine(workspace.Root, input.WorkingDirectory), output) { Environment = input.Environment };

        var exitCode = await build.InvokeAsync(invocation);

        var text = output.ToString();
        Assert.True(input.ExitCode == exitCode, $"{input.Name}: exit code {exitCode}, expected {input.ExitCode}\n{text}");
        foreach (var words in input.Says)
            Assert.True(text.Contains(words, StringComparison.Ordinal), $"{input.Name}: the output does not say '{words}'\n{text}");
        var logs = Path.Combine(workspace.Root, input.WorkingDirectory, ".nuke", "temp");
        var logText = Directory.Exists(logs) ? string.Concat(Directory.EnumerateFiles(logs).Select(File.ReadAllText)) : string.Empty;
        foreach (var secret in input.Never)
            Assert.True(!text.Contains(secret, StringComparison.Ordinal) && !logText.Contains(secret, StringComparison.Ordinal), $"{input.Name}: '{secret}' was shown");

        Assert.Equal(filesBefore, workspace.Files());
        if (Directory.Exists(logs))
            Assert.All(Directory.EnumerateFileSystemEntries(logs), entry => Assert.Matches(@"^build(\.\d+)?\.log$", Path.GetFileName(entry)));
        if (RunTemporaryDirectory(build) is { } temporary)
        {
            Assert.False(Directory.Exists(temporary), $"{input.Name}: the run's temp folder {temporary} is left");
            Assert.Empty(ProcessesWith($"TMPDIR={temporary}"));
        }
    }

    private static IEnumerable<BadInput> AllCases() =>
        typeof(BadInputCatalogue).GetProperties(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(property => property.PropertyType == typeof(BadInput[]))
            .OrderBy(property => property.Name, StringComparer.Ordinal)
            .SelectMany(property => (BadInput[])property.GetValue(null)!);

    /// <summary>Null when the run never got as far as running targets (then it had no temp folder).</summary>
    private static string? RunTemporaryDirectory(SlipwayBuild build)
    {
        try
        {
            return build.TemporaryDirectory;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static List<string> ProcessesWith(string environmentEntry)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(path => int.TryParse(Path.GetFileName(path), out _)))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(environmentEntry)
                    && !Regex.IsMatch(File.ReadAllText(Path.Combine(directory, "stat")), @"\) Z "))
                    found.Add(directory);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Gone while looking.
            }
        }

        return found;
    }

    /// <summary>Every component whose parameters the catalogue covers; nothing here runs a tool but git.</summary>
    private sealed class CatalogueBuild : SlipwayBuild, IChartCoverage, IContainerImage
    {
        string IContainerImage.ImageProject => "src/App/App.csproj";
    }
}
