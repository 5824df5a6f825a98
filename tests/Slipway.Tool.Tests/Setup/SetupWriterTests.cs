using System.Runtime.Versioning;
using Slipway.Tool.Setup;

namespace Slipway.Tool.Tests.Setup;

[SupportedOSPlatform("linux")]
public sealed class SetupWriterTests : IDisposable
{
    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    private static readonly SetupFile Script = new("build.sh", "#!/bin/sh\necho built\n", FileOwnership.Setup, Executable: true);
    private static readonly SetupFile Project = new("build/_build.csproj", "<Project />\n", FileOwnership.Setup);
    private static readonly SetupFile GlobalJson = new("global.json", "{}\n", FileOwnership.IfAbsent);

    private IReadOnlyList<FileChange> Apply(bool force = false, params SetupFile[] files) => new SetupWriter(_root.Path).Apply(files, force);

    private string Read(string path) => File.ReadAllText(_root.Combine(path.Split('/')));

    [Fact]
    public void Absent_files_are_written_and_a_script_is_executable()
    {
        var changes = Apply(false, Script, Project, GlobalJson);

        Assert.All(changes.Take(3), change => Assert.Equal(FileAction.Written, change.Action));
        Assert.Equal("<Project />\n", Read("build/_build.csproj"));
        Assert.True(File.GetUnixFileMode(_root.Combine("build.sh")).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute));
    }

    [Fact]
    public void Running_twice_changes_nothing()
    {
        Apply(false, Script, Project, GlobalJson);
        var before = Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories).ToDictionary(path => path, path => (File.ReadAllText(path), File.GetLastWriteTimeUtc(path)));

        var changes = Apply(false, Script, Project, GlobalJson);

        Assert.All(changes, change => Assert.Equal(FileAction.Unchanged, change.Action));
        Assert.Equal(before, Directory.EnumerateFiles(_root.Path, "*", SearchOption.AllDirectories).ToDictionary(path => path, path => (File.ReadAllText(path), File.GetLastWriteTimeUtc(path))));
    }

    [Fact]
    public void A_file_that_differs_is_kept_and_said_so_and_only_force_replaces_it_saying_so_too()
    {
        Directory.CreateDirectory(_root.Combine("build"));
        File.WriteAllText(_root.Combine("build", "_build.csproj"), "<Project>ours</Project>\n");

        var kept = Assert.Single(Apply(false, Project), change => change.Path == Project.Path);
        Assert.Equal("kept      build/_build.csproj: differs from what setup writes (edited since, or not written by setup); --force replaces it", kept.ToString());
        Assert.Equal("<Project>ours</Project>\n", Read("build/_build.csproj"));

        var replaced = Assert.Single(Apply(true, Project), change => change.Path == Project.Path);
        Assert.Equal("replaced  build/_build.csproj: it differed from what setup writes, and --force was given", replaced.ToString());
        Assert.Equal("<Project />\n", Read("build/_build.csproj"));
    }

    [Fact]
    public void A_file_written_only_when_absent_is_kept_even_with_force()
    {
        File.WriteAllText(_root.Combine("global.json"), "{ \"sdk\": { \"version\": \"10.0.100\" } }\n");

        var change = Assert.Single(Apply(true, GlobalJson), change => change.Path == "global.json");

        Assert.Equal(FileAction.Kept, change.Action);
        Assert.Equal("{ \"sdk\": { \"version\": \"10.0.100\" } }\n", Read("global.json"));
    }

    [Fact]
    public void Line_endings_alone_are_no_difference_and_a_lost_execute_bit_is_restored_and_said()
    {
        File.WriteAllText(_root.Combine("build.sh"), Script.Content.Replace("\n", "\r\n", StringComparison.Ordinal));
        File.SetUnixFileMode(_root.Combine("build.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var change = Assert.Single(Apply(false, Script), change => change.Path == "build.sh");

        Assert.Equal("unchanged build.sh: made executable", change.ToString());
        Assert.True(File.GetUnixFileMode(_root.Combine("build.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Gitignore_gets_what_the_build_writes_once_and_keeps_every_line_it_had()
    {
        File.WriteAllText(_root.Combine(".gitignore"), "bin/\n/artifacts/");

        var first = Assert.Single(Apply(false), change => change.Path == ".gitignore");
        Assert.Equal("extended  .gitignore: ignores .nuke/temp/ (what the build writes)", first.ToString());
        Assert.Equal("bin/\n/artifacts/\n.nuke/temp/\n", Read(".gitignore"));

        Assert.Equal(FileAction.Unchanged, Assert.Single(Apply(false), change => change.Path == ".gitignore").Action);
    }
}
