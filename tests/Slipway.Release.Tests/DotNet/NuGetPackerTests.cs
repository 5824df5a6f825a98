using Slipway.Release.DotNet;

namespace Slipway.Release.Tests.DotNet;

public sealed class NuGetPackerTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly RecordingLog _log = new();

    public void Dispose() => _root.Dispose();

    private PackRequest Request(string? repositoryUrl = null) =>
        new(["src/A/A.csproj", "src/B/B.csproj"], "1.2.3-ci.4.gabcdef0", _root.Combine("artifacts", "packages"), _root.Combine(".nuke", "temp", "pack"), repositoryUrl);

    /// <summary>dotnet pack as far as the packer can tell: a package named after the project appears in the output folder.</summary>
    private FakeProcessRunner Packing() => new(command =>
    {
        var output = command.Arguments[command.Arguments.ToList().IndexOf("-o") + 1];
        File.WriteAllText(Path.Combine(output, $"{Path.GetFileNameWithoutExtension(command.Arguments[1])}.1.2.3-ci.4.gabcdef0.nupkg"), string.Empty);
        return FakeProcessRunner.Exit(0);
    });

    [Fact]
    public async Task Each_project_is_packed_deterministically_with_the_version_into_an_output_holding_only_this_run_s_packages()
    {
        Directory.CreateDirectory(_root.Combine("artifacts", "packages"));
        File.WriteAllText(_root.Combine("artifacts", "packages", "A.1.0.0.nupkg"), string.Empty);
        var runner = Packing();

        var packed = await new NuGetPacker(runner, _log).PackAsync(Request("https://github.com/acme/orders"), _root.Path);

        Assert.Equal([_root.Combine("artifacts", "packages", "A.1.2.3-ci.4.gabcdef0.nupkg"), _root.Combine("artifacts", "packages", "B.1.2.3-ci.4.gabcdef0.nupkg")], packed.Paths);
        Assert.Equal(
            ["pack", "src/A/A.csproj", "-c", "Release", "-o", _root.Combine("artifacts", "packages"), "--nologo", "-p:Version=1.2.3-ci.4.gabcdef0",
             "-p:ContinuousIntegrationBuild=true", "-p:UseArtifactsOutput=true", $"-p:ArtifactsPath={_root.Combine(".nuke", "temp", "pack")}", "-p:RepositoryUrl=https://github.com/acme/orders"],
            runner.Commands[0].Arguments);
        Assert.All(runner.Commands, command => Assert.Equal(_root.Path, command.WorkingDirectory));
    }

    [Fact]
    public void Without_a_repository_URL_Source_Link_names_the_git_remote()
    {
        Assert.DoesNotContain(NuGetPacker.Command(Request(), "src/A/A.csproj").Arguments, argument => argument.StartsWith("-p:RepositoryUrl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_build_directory_outside_the_source_tree_is_refused_before_anything_runs()
    {
        var runner = Packing();
        var outside = Request() with { BuildDirectory = Path.Combine(Path.GetTempPath(), "elsewhere") };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => new NuGetPacker(runner, _log).PackAsync(outside, _root.Path));

        Assert.StartsWith($"The pack build directory {outside.BuildDirectory} is outside the source tree {_root.Path}", exception.Message, StringComparison.Ordinal);
        Assert.Empty(runner.Commands);
    }

    [Fact]
    public async Task Projects_that_pack_nothing_fail_saying_none_is_packable()
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => new NuGetPacker(new FakeProcessRunner(_ => FakeProcessRunner.Exit(0)), _log).PackAsync(Request(), _root.Path));

        Assert.Contains("none of them sets IsPackable=true", exception.Message, StringComparison.Ordinal);
    }
}
