using Slipway.Tool.Setup;

namespace Slipway.Tool.Tests.Setup;

/// <summary>An adopting repository runs Slipway's own build.sh and build.cmd: the same lines, only the build's inputs differ.</summary>
public sealed class BootstrapScriptsTests
{
    [Fact]
    public void Build_sh_is_this_repository_s_own_but_for_the_line_listing_the_inputs()
    {
        var ours = File.ReadAllText(Path.Combine(TestRepository.Root, "build.sh")).Split('\n');
        var theirs = BootstrapScripts.BuildSh().Split('\n');

        var different = Differences(ours, theirs);
        var (mine, adopted) = Assert.Single(different);
        Assert.Contains("src/Slipway.Release", mine, StringComparison.Ordinal);
        Assert.Equal("  for path in build Directory.Build.props Directory.Build.targets Directory.Packages.props global.json NuGet.config nuget.config; do", adopted);
        Assert.Contains(theirs, line => line == "exec \"$bin/_build\" \"$@\"");
    }

    [Fact]
    public void Build_cmd_is_this_repository_s_own_but_for_the_inputs_it_compares_with_the_stamp()
    {
        var ours = File.ReadAllText(Path.Combine(TestRepository.Root, "build.cmd")).Split('\n');
        var theirs = BootstrapScripts.BuildCmd().Split('\n');

        var (mine, adopted) = Assert.Single(Differences(ours, theirs));
        Assert.Contains(@"'%ROOT%src\Slipway'", mine, StringComparison.Ordinal);
        Assert.Contains(
            "Get-ChildItem -Recurse -File -ErrorAction SilentlyContinue '%ROOT%build','%ROOT%Directory.Build.props','%ROOT%Directory.Build.targets','%ROOT%Directory.Packages.props','%ROOT%global.json','%ROOT%NuGet.config','%ROOT%nuget.config' |",
            adopted,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Slipway", adopted, StringComparison.Ordinal);
    }

    private static List<(string Ours, string Theirs)> Differences(string[] ours, string[] theirs)
    {
        Assert.Equal(ours.Length, theirs.Length);
        return [.. ours.Zip(theirs).Where(pair => pair.First != pair.Second)];
    }
}
