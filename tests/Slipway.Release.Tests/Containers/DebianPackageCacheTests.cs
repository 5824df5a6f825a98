using Slipway.Processes;
using Slipway.Release.Containers;
using Slipway.Release.Tools;

namespace Slipway.Release.Tests.Containers;

public sealed class DebianPackageCacheTests
{
    [Fact]
    public async Task A_missing_set_is_downloaded_for_the_architecture_with_a_private_apt_state_and_then_served_from_the_cache()
    {
        using var root = new TempDirectory();
        var runner = new FakeProcessRunner(command =>
        {
            if (command.Arguments.Contains("download"))
            {
                foreach (var package in command.Arguments.SkipWhile(argument => argument != "download").Skip(1))
                    File.WriteAllText(Path.Combine(command.WorkingDirectory!, $"{package}_1.0_arm64.deb"), package);
            }

            return FakeProcessRunner.Exit(0);
        });
        var cache = new DebianPackageCache(runner, new ToolCache(root.Path), new RecordingLog());

        var first = await cache.EnsureAsync("arm64", ["libc6", "libstdc++6"]);
        var second = await cache.EnsureAsync("arm64", ["libc6", "libstdc++6"]);

        Assert.Equal(2, runner.Commands.Count);
        Assert.All(runner.Commands, command =>
        {
            Assert.Equal("apt-get", command.FileName);
            Assert.Contains("APT::Architecture=arm64", command.Arguments);
            Assert.Contains("APT::Architectures::=arm64", command.Arguments);
            Assert.Contains(command.Arguments, argument => argument.StartsWith("Dir::State::Lists=" + root.Path, StringComparison.Ordinal));
            Assert.Contains(command.Arguments, argument => argument.StartsWith("Dir::Cache=" + root.Path, StringComparison.Ordinal));
        });
        Assert.Equal("update", runner.Commands[0].Arguments[^1]);
        Assert.Equal(root.Combine("debian-packages", "arm64", "debs", "libstdc++6_1.0_arm64.deb"), first["libstdc++6"]);
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_download_that_misses_a_package_fails_and_leaves_no_partial_set()
    {
        using var root = new TempDirectory();
        var runner = new FakeProcessRunner(_ => FakeProcessRunner.Exit(0));
        var cache = new DebianPackageCache(runner, new ToolCache(root.Path), new RecordingLog());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => cache.EnsureAsync("amd64", ["libc6"]));

        Assert.Contains("libc6", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(root.Combine("debian-packages", "amd64", "debs")));
        Assert.Empty(Directory.GetDirectories(root.Combine("debian-packages", "amd64"), ".staging-*"));
    }
}
