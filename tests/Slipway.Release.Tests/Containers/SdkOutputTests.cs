using Slipway.Processes;
using Slipway.Release.Containers;

namespace Slipway.Release.Tests.Containers;

/// <summary>The SDK's container output summarised, on what dotnet publish -t:PublishContainer (SDK 10.0.401) really printed.</summary>
public sealed class SdkOutputTests
{
    private const string Project = "/work/repo/src/Beacon/Beacon.csproj";

    private const string Succeeded = """
          Determining projects to restore...
          All projects are up-to-date for restore.
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/Beacon.dll
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/publish/
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-x64/Beacon.dll
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-arm64/Beacon.dll
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-x64/publish/
          Building image 'beacon' for runtime identifier 'linux-x64' on top of base image '127.0.0.1:46765/slipway/runtime-deps@sha256:f83a51340cde4746c267decd347cfd33098cc051c1098ee6ea0c150c0d64a4a5'.
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-arm64/publish/
          Building image 'beacon' for runtime identifier 'linux-arm64' on top of base image '127.0.0.1:46765/slipway/runtime-deps@sha256:f83a51340cde4746c267decd347cfd33098cc051c1098ee6ea0c150c0d64a4a5'.
        /usr/share/dotnet/sdk/10.0.401/Containers/build/Microsoft.NET.Build.Containers.targets(357,5): message : [Microsoft.NET.Build.Containers.Tasks.CreateImageIndex] Building image index 'beacon:0.1.0-ci.128.gde2fd1b' on top of manifests sha256:7e7b3f234fe2bef2c8e692556fd5841a75d75e8451e898d7b7c9810ea49cb00c, sha256:efd9a67c7dde88ea67d2c3cd8168c40f46f9339cd892705826daa2559c55213a. [/work/repo/src/Beacon/Beacon.csproj]
          Pushed image 'beacon:0.1.0-ci.128.gde2fd1b' to local archive at '/work/repo/src/Beacon/obj/slipway-image.tar'.
        """;

    private const string BaseMissing = """
          Determining projects to restore...
          All projects are up-to-date for restore.
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-x64/publish/
        /usr/share/dotnet/sdk/10.0.401/Containers/build/Microsoft.NET.Build.Containers.targets(255,5): error CONTAINER1015: Unable to access the repository 'nothere' at tag '1' in the registry ''. Please confirm that this name and tag are present in the registry. [/work/repo/src/Beacon/Beacon.csproj]
          Beacon -> /work/repo/src/Beacon/bin/Release/net10.0/linux-arm64/publish/
        /usr/share/dotnet/sdk/10.0.401/Containers/build/Microsoft.NET.Build.Containers.targets(255,5): error CONTAINER1015: Unable to access the repository 'nothere' at tag '1' in the registry ''. Please confirm that this name and tag are present in the registry. [/work/repo/src/Beacon/Beacon.csproj]
        /work/repo/src/Beacon/Program.cs(3,5): warning CS0168: The variable 'x' is declared but never used [/work/repo/src/Beacon/Beacon.csproj]
        /work/repo/src/Beacon/Program.cs(3,5): warning CS0168: The variable 'x' is declared but never used [/work/repo/src/Beacon/Beacon.csproj]
        """;

    [Fact]
    public void A_multi_platform_build_reads_as_one_line()
    {
        var output = SdkOutput.Read(new ToolResult(0, Succeeded, string.Empty, TimeSpan.Zero));

        Assert.Equal(["linux-x64", "linux-arm64"], output.RuntimeIdentifiers);
        Assert.Equal("The SDK built 2 images (linux-x64, linux-arm64) into obj/slipway-image.tar; 12 lines of output (in the build log at debug level), 0 warnings, 0 errors.",
            output.Summary("/work/repo/src/Beacon"));
        Assert.Empty(output.Errors);
    }

    [Fact]
    public void Errors_and_warnings_are_kept_each_once_without_the_project_suffix()
    {
        var output = SdkOutput.Read(new ToolResult(1, BaseMissing, string.Empty, TimeSpan.Zero));

        var error = Assert.Single(output.Errors);
        Assert.EndsWith("error CONTAINER1015: Unable to access the repository 'nothere' at tag '1' in the registry ''. Please confirm that this name and tag are present in the registry.", error, StringComparison.Ordinal);
        Assert.Equal(["/work/repo/src/Beacon/Program.cs(3,5): warning CS0168: The variable 'x' is declared but never used"], output.Warnings);
    }

    [Fact]
    public void More_than_ten_warnings_are_cut_with_a_count()
    {
        var warnings = string.Join('\n', Enumerable.Range(1, 13).Select(line => $"/work/repo/a.cs({line},1): warning CS0168: unused {line} [{Project}]"));

        var shown = SdkOutput.Read(new ToolResult(0, warnings, string.Empty, TimeSpan.Zero)).ShownWarnings().ToList();

        Assert.Equal(11, shown.Count);
        Assert.Equal("... and 3 more warnings (in the build log)", shown[^1]);
    }
}
