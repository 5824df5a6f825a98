using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Tests.Support;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Containers;

/// <summary>Real git: tree ids at HEAD and every kind of uncommitted change under the asked paths.</summary>
[Trait("Category", "Integration")]
public sealed class GitSourceTreeTests : IDisposable
{
    private readonly TempDirectory _repository = new();
    private readonly ProcessRunner _runner = new(new RecordingLog(), new SecretRegistry());

    public void Dispose() => _repository.Dispose();

    private GitSourceTree Tree => new(_runner);

    [Fact]
    public async Task Objects_are_the_ids_at_head_and_every_uncommitted_change_under_the_paths_counts()
    {
        Write("src/App/App.csproj", "<Project />");
        Write("src/App/Program.cs", "class P {}");
        Write("src/Other/Other.cs", "class O {}");
        Write("global.json", "{}");
        await GitAsync("init", "--quiet");
        await GitAsync("add", "--all");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "--quiet", "-m", "one");
        string[] paths = ["src/App", "global.json", "Directory.Build.props"];

        var top = await Tree.TopLevelAsync(Path.Combine(_repository.Path, "src", "App"));
        var clean = await Tree.SnapshotAsync(top!, paths);

        Assert.Equal(Path.GetFullPath(_repository.Path), Path.GetFullPath(top!));
        Assert.Empty(clean.Changed);
        Assert.Equal((await GitAsync("rev-parse", "HEAD:src/App")).Trim(), clean.Objects["src/App"]);
        Assert.Equal((await GitAsync("rev-parse", "HEAD:global.json")).Trim(), clean.Objects["global.json"]);
        Assert.False(clean.Objects.ContainsKey("Directory.Build.props"));

        Write("src/Other/Other.cs", "class O { int x; }");
        Assert.Empty((await Tree.SnapshotAsync(top!, paths)).Changed);

        Write("src/App/Program.cs", "class P { int y; }");
        Write("src/App/New.cs", "class N {}");
        Write("Directory.Build.props", "<Project />");
        File.Delete(Path.Combine(_repository.Path, "global.json"));
        Assert.Equal(
            ["Directory.Build.props", "global.json", "src/App/New.cs", "src/App/Program.cs"],
            (await Tree.SnapshotAsync(top!, paths)).Changed.Order(StringComparer.Ordinal));

        await GitAsync("checkout", "--quiet", "--", "src/App/Program.cs", "global.json");
        File.Delete(Path.Combine(_repository.Path, "src", "App", "New.cs"));
        File.Delete(Path.Combine(_repository.Path, "Directory.Build.props"));
        await GitAsync("mv", "src/App/Program.cs", "src/App/Main.cs");
        // A staged rename is one record with two paths: the new one counts, the old one is not misread as another change.
        Assert.Equal(["src/App/Main.cs"], (await Tree.SnapshotAsync(top!, paths)).Changed);
    }

    [Fact]
    public async Task A_folder_outside_any_work_tree_has_no_top_level()
    {
        Assert.Null(await Tree.TopLevelAsync(_repository.Path));
    }

    private void Write(string relative, string content)
    {
        var path = Path.Combine(_repository.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private async Task<string> GitAsync(params string[] arguments) =>
        (await _runner.RunAsync(new ToolCommand("git", arguments) { WorkingDirectory = _repository.Path, StreamOutput = false })).StandardOutput;
}
