namespace Slipway.Testing;

/// <summary>
/// This repository as tests see it from their output folder, and throwaway repositories around a small build of their own:
/// <c>.nuke/</c>, this repository's <c>build.sh</c>, <c>build/Build.cs</c> and a <c>build/_build.csproj</c> referencing the very
/// assemblies the tests run with. Linked into each test project that needs it.
/// </summary>
internal static class TestRepository
{
    public static string Root { get; } = FindRoot();

    /// <param name="assemblies">Names of assemblies next to the test assembly, such as <c>Slipway</c> and <c>CliWrap</c>.</param>
    public static void WriteBuild(string root, string buildSource, params string[] assemblies)
    {
        Directory.CreateDirectory(Path.Combine(root, ".nuke"));
        Directory.CreateDirectory(Path.Combine(root, "build"));
        File.Copy(Path.Combine(Root, "build.sh"), Path.Combine(root, "build.sh"));
        File.WriteAllText(Path.Combine(root, "build", "Build.cs"), buildSource);
        var references = string.Join(
            Environment.NewLine,
            assemblies.Select(name => $"""    <Reference Include="{Path.Combine(AppContext.BaseDirectory, name + ".dll")}" />"""));
        File.WriteAllText(Path.Combine(root, "build", "_build.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>_build</AssemblyName>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <!-- [Parameter] fields are assigned by the engine through reflection, which CS0649 cannot see. -->
                <NoWarn>CS0649</NoWarn>
              </PropertyGroup>
              <ItemGroup>
            {references}
              </ItemGroup>
            </Project>
            """);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "build.sh")) && File.Exists(Path.Combine(directory.FullName, "Release.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No build.sh and Release.sln above {AppContext.BaseDirectory}.");
    }
}
