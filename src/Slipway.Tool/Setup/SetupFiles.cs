using System.Security;

namespace Slipway.Tool.Setup;

/// <summary>How setup treats a file that already exists.</summary>
public enum FileOwnership
{
    /// <summary>Setup's to write: kept when it differs (edited, or not written by setup) unless --force replaces it.</summary>
    Setup,

    /// <summary>The repository's once it exists (global.json, .nuke/parameters.json): written only when absent.</summary>
    IfAbsent,
}

/// <summary>One file as setup would write it.</summary>
/// <param name="Path">Relative to the root, with '/'.</param>
public sealed record SetupFile(string Path, string Content, FileOwnership Ownership, bool Executable = false);

/// <summary>The text of every file setup writes for a repository.</summary>
public static class SetupFiles
{
    public const string BuildProject = "build/_build.csproj";
    public const string PackageId = "Slipway.Release";

    public static IReadOnlyList<SetupFile> For(RepositoryFacts facts, SetupOptions options, string slipwayVersion) =>
    [
        new("build.sh", BootstrapScripts.BuildSh(), FileOwnership.Setup, Executable: true),
        new("build.cmd", BootstrapScripts.BuildCmd(), FileOwnership.Setup),
        new("global.json", GlobalJson(facts.Sdk), FileOwnership.IfAbsent),
        new(BuildProject, ProjectFile(facts.Sdk, options.Source, slipwayVersion), FileOwnership.Setup),
        new("build/Build.cs", BuildClass(facts, options), FileOwnership.Setup),
        new(".nuke/parameters.json", "{\n  \"$schema\": \"./build.schema.json\"\n}\n", FileOwnership.IfAbsent),
    ];

    /// <summary>What the build writes and nobody commits.</summary>
    public static IReadOnlyList<string> IgnoredPaths { get; } = [".nuke/temp/", "artifacts/"];

    private static string GlobalJson(DotNetSdk sdk) => $$"""
        {
          "sdk": {
            "version": "{{sdk.Band}}",
            "rollForward": "latestFeature",
            "allowPrerelease": false
          }
        }

        """;

    private static string ProjectFile(DotNetSdk sdk, string? source, string slipwayVersion)
    {
        var feed = source is null
            ? string.Empty
            : $"\n    <!-- Where the Slipway packages come from, besides the configured NuGet sources: the source given to slipway setup. -->\n    <RestoreAdditionalProjectSources>{SecurityElement.Escape(source)}</RestoreAdditionalProjectSources>";
        return $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <!-- The build project, written by slipway setup: ./build.sh compiles it when build/ changes and runs it. -->
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>{sdk.TargetFramework}</TargetFramework>
                <RootNamespace></RootNamespace>
                <AssemblyName>_build</AssemblyName>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <IsPackable>false</IsPackable>
                <InvariantGlobalization>true</InvariantGlobalization>
                <!-- [Parameter] fields are assigned by the engine through reflection, which CS0649 cannot see. -->
                <NoWarn>$(NoWarn);CS0649</NoWarn>
                <!-- The build pins its own Slipway version (which pins every tool it provisions), also where versions are managed centrally. -->
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>{feed}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="{PackageId}" Version="{SecurityElement.Escape(slipwayVersion)}" />
              </ItemGroup>
            </Project>

            """;
    }

    private static string BuildClass(RepositoryFacts facts, SetupOptions options)
    {
        var fields = options.ProvenanceFields;
        var usings = new List<string> { "Slipway", "Slipway.Release.Containers", "Slipway.Release.Pipeline", "Slipway.Release.Smoke" };
        var chart = string.Empty;
        if (facts.ChartNamed)
        {
            usings.Add("Slipway.Release.Helm");
            chart = $"\n    string? IChartGates.ChartDirectory => {Literal(facts.Chart)};\n";
        }

        var protectedPaths = string.Join(", ", options.ProtectedPaths.Select(Literal));
        return $$"""
            {{string.Join('\n', usings.Order(StringComparer.Ordinal).Select(name => $"using {name};"))}}

            /// <summary>
            /// This repository's pipeline (written by slipway setup; yours to edit): Ci, every gate a pull request must pass; Publish,
            /// the release of {{facts.ServiceProject}} as a multi-platform image with the chart {{facts.Chart}} pinning it by digest;
            /// and the GitHub Actions workflows that run them (./build.sh GenerateWorkflows).
            /// </summary>
            partial class Build : SlipwayBuild, IServicePipeline
            {
                public static int Main(string[] args) => Execute<Build>(args, x => x.From<IServicePipeline>().Ci);

                string IContainerImage.ImageProject => {{Literal(facts.ServiceProject)}};
            {{chart}}
                /// <summary>What the image smoke checks beyond the chart's probes: where the service reports what it was built from, and which paths refuse anonymous callers (401).</summary>
                SmokeEndpoints ISmokeContract.SmokeEndpoints => new(
                    new ProvenanceEndpoint({{Literal(options.ProvenancePath)}}, versionField: {{Literal(fields[0])}}, gitShaField: {{Literal(fields[1])}}, chartVersionField: {{Literal(fields[2])}}),
                    protectedPaths: [{{protectedPaths}}]);
            }

            """;
    }

    private static string Literal(string text) => $"\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
