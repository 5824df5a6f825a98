using Slipway.Processes;
using Slipway.Release.Versioning;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Versioning;

[Trait("Category", "Integration")]
public sealed class GitFactsReaderTests : IDisposable
{
    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("slipway-git-");
    private readonly ProcessRunner _runner = new(new RecordingLog(), new SecretRegistry());

    public void Dispose() => _repository.Delete(recursive: true);

    [Fact]
    public async Task Reads_sha_time_height_and_tags_of_a_real_repository()
    {
        await GitAsync("init", "--quiet", "--initial-branch=main");
        await CommitAsync("2026-11-24T08:00:00Z");
        await GitAsync("-c", "user.name=Test", "-c", "user.email=test@example.invalid", "tag", "--annotate", "v1.2.3", "-m", "release 1.2.3");
        await GitAsync("tag", "v1.3.0-rc.1");
        await GitAsync("tag", "v01.9.9");
        var first = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        await CommitAsync("2026-11-24T08:05:00Z");
        await CommitAsync("2026-11-24T08:05:00Z");
        var third = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.Equal(SemanticVersion.Parse("1.2.3"), first.HeadReleaseTag);
        Assert.Equal(0, first.Height);
        Assert.Equal("1.2.3", VersionCalculator.Calculate(first).ToString());

        Assert.Null(third.HeadReleaseTag);
        Assert.Equal(SemanticVersion.Parse("1.2.3"), third.LatestReleaseTag);
        Assert.Equal(2, third.Height);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 8, 5, 0, TimeSpan.Zero), third.CommitTime);
        Assert.Equal((await GitAsync("rev-parse", "HEAD")).Trim(), third.Sha);
        Assert.Equal($"1.2.4-ci.2.g{third.Sha[..7]}", VersionCalculator.Calculate(third).ToString());
    }

    [Fact]
    public async Task Tags_that_look_like_releases_but_are_not_semver_are_listed_and_ignored()
    {
        await GitAsync("init", "--quiet");
        await CommitAsync("2026-11-24T08:00:00Z");
        await GitAsync("tag", "v1.2.3");
        await GitAsync("tag", "v01.9.9");
        await GitAsync("tag", "vfoo");
        await GitAsync("tag", "v2.0.0-rc.1");
        await GitAsync("tag", "release-9");

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.Equal(["v01.9.9", "vfoo"], facts.MalformedReleaseTags.Order(StringComparer.Ordinal));
        Assert.Equal(SemanticVersion.Parse("1.2.3"), facts.LatestReleaseTag);
    }

    [Fact]
    public async Task A_release_tag_on_head_below_one_on_an_ancestor_fails_the_version()
    {
        await GitAsync("init", "--quiet");
        await CommitAsync("2026-11-24T08:00:00Z");
        await GitAsync("tag", "v1.4.0");
        await CommitAsync("2026-11-24T09:00:00Z");
        await GitAsync("tag", "v1.3.9");

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.Throws<GitFactsException>(() => VersionCalculator.Calculate(facts));
    }

    [Fact]
    public async Task Every_kind_of_uncommitted_change_makes_the_tree_dirty_and_the_same_changes_give_the_same_digest()
    {
        await GitAsync("init", "--quiet");
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, ".gitignore"), "*.log\n");
        foreach (var name in new[] { "modified.txt", "staged.txt", "deleted.txt", "renamed.txt" })
            await File.WriteAllTextAsync(Path.Combine(_repository.FullName, name), name);
        await GitAsync("add", "-A");
        await CommitAsync("2026-11-24T08:00:00Z");
        var clean = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        await File.AppendAllTextAsync(Path.Combine(_repository.FullName, "modified.txt"), " changed");
        await File.AppendAllTextAsync(Path.Combine(_repository.FullName, "staged.txt"), " changed");
        await GitAsync("add", "staged.txt");
        File.Delete(Path.Combine(_repository.FullName, "deleted.txt"));
        await GitAsync("mv", "renamed.txt", "moved.txt");
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, "new file.txt"), "new");
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, "ignored.log"), "ignored");
        var dirty = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);
        var again = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);
        await File.AppendAllTextAsync(Path.Combine(_repository.FullName, "new file.txt"), " and more");
        var other = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.False(clean.IsDirty);
        Assert.Equal(["deleted.txt", "modified.txt", "moved.txt", "new file.txt", "staged.txt"], dirty.Changes.Paths.Order(StringComparer.Ordinal));
        Assert.Equal(dirty.Changes.Digest, again.Changes.Digest);
        Assert.NotEqual(dirty.Changes.Digest, other.Changes.Digest);
        Assert.EndsWith($".dirty-{dirty.Changes.Digest[..7]}", VersionCalculator.Calculate(dirty).ToString());
        Assert.Equal(clean.Sha, dirty.Sha);
    }

    [Fact]
    public async Task What_a_build_writes_next_to_its_nuke_folder_does_not_make_the_tree_dirty()
    {
        await GitAsync("init", "--quiet");
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, "README.md"), "readme");
        await GitAsync("add", "-A");
        await CommitAsync("2026-11-24T08:00:00Z");
        Directory.CreateDirectory(Path.Combine(_repository.FullName, ".nuke", "temp", "staging"));
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, ".nuke", "temp", "build.log"), "log");
        Directory.CreateDirectory(Path.Combine(_repository.FullName, "artifacts", "charts"));
        await File.WriteAllTextAsync(Path.Combine(_repository.FullName, "artifacts", "charts", "app-1.0.0.tgz"), "chart");

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.False(facts.IsDirty, string.Join(", ", facts.Changes.Paths));
    }

    [Fact]
    public async Task Without_tags_the_height_counts_from_the_root()
    {
        await GitAsync("init", "--quiet");
        await CommitAsync("2026-11-24T08:00:00Z");
        await CommitAsync("2026-11-24T09:00:00Z");

        var facts = await new GitFactsReader(_runner).ReadAsync(_repository.FullName);

        Assert.Null(facts.LatestReleaseTag);
        Assert.Equal(2, facts.Height);
    }

    [Fact]
    public async Task A_repository_without_commits_is_refused_clearly()
    {
        await GitAsync("init", "--quiet");

        var error = await Assert.ThrowsAsync<GitFactsException>(() => new GitFactsReader(_runner).ReadAsync(_repository.FullName));

        Assert.Contains("no commits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_outside_any_repository_is_refused_with_gits_reason()
    {
        var error = await Assert.ThrowsAsync<GitFactsException>(() => new GitFactsReader(_runner).ReadAsync(_repository.FullName));

        Assert.Contains("not a git repository", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shallow_clone_is_refused_with_a_fetch_hint()
    {
        var origin = Path.Combine(_repository.FullName, "origin");
        Directory.CreateDirectory(origin);
        await GitInAsync(origin, "init", "--quiet");
        await CommitAsync("2026-11-24T08:00:00Z", origin);
        await CommitAsync("2026-11-24T09:00:00Z", origin);
        await GitAsync("clone", "--quiet", "--depth=1", "file://" + origin, "shallow");

        var error = await Assert.ThrowsAsync<GitFactsException>(() => new GitFactsReader(_runner).ReadAsync(Path.Combine(_repository.FullName, "shallow")));

        Assert.Contains("git fetch --unshallow --tags", error.Message, StringComparison.Ordinal);
    }

    private Task CommitAsync(string date, string? directory = null) =>
        RunGitAsync(directory ?? _repository.FullName, date, "-c", "user.name=Test", "-c", "user.email=test@example.invalid", "commit", "--quiet", "--allow-empty", "-m", "change at " + date);

    private Task<string> GitAsync(params string[] arguments) => RunGitAsync(_repository.FullName, null, arguments);

    private Task<string> GitInAsync(string directory, params string[] arguments) => RunGitAsync(directory, null, arguments);

    private async Task<string> RunGitAsync(string directory, string? date, params string[] arguments)
    {
        var command = new ToolCommand("git", arguments) { WorkingDirectory = directory, StreamOutput = false };
        if (date is not null)
            command = command.WithEnvironment("GIT_COMMITTER_DATE", date).WithEnvironment("GIT_AUTHOR_DATE", date);
        return (await _runner.RunAsync(command)).StandardOutput;
    }
}
