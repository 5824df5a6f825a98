using Slipway.Release.DotNet;

/// <summary>Slipway itself as NuGet packages (./build.sh Pack): the engine, the release components and the setup tool.</summary>
partial class Build : INuGetPack
{
    IReadOnlyList<string> INuGetPack.PackProjects => ["src/Slipway/Slipway.csproj", "src/Slipway.Release/Slipway.Release.csproj", "src/Slipway.Tool/Slipway.Tool.csproj"];
}
