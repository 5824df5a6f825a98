using Slipway.Tool.Setup;

namespace Slipway.Tool.Tests.Setup;

public sealed class SetupFilesTests
{
    private static readonly RepositoryFacts Facts = new("/repo", "src/Orders/Orders.csproj", "charts/orders", false, new DotNetSdk(10, 0, 401));

    private static string File(IReadOnlyList<SetupFile> files, string path) => files.Single(file => file.Path == path).Content;

    [Fact]
    public void Setup_writes_the_scripts_the_build_project_the_build_global_json_and_parameters()
    {
        var files = SetupFiles.For(Facts, new SetupOptions(), "1.2.3");

        Assert.Equal(["build.sh", "build.cmd", "global.json", "build/_build.csproj", "build/Build.cs", ".nuke/parameters.json"], files.Select(file => file.Path));
        Assert.Equal([FileOwnership.IfAbsent, FileOwnership.IfAbsent], files.Where(file => file.Path is "global.json" or ".nuke/parameters.json").Select(file => file.Ownership));
        Assert.True(files.Single(file => file.Path == "build.sh").Executable);
        Assert.Contains("\"version\": \"10.0.400\",\n    \"rollForward\": \"latestFeature\"", File(files, "global.json"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_project_references_this_version_of_the_release_components_and_a_feed_only_when_given()
    {
        var plain = File(SetupFiles.For(Facts, new SetupOptions(), "0.4.0-ci.7.gabcdef0"), "build/_build.csproj");
        Assert.Contains("<PackageReference Include=\"Slipway.Release\" Version=\"0.4.0-ci.7.gabcdef0\" />", plain, StringComparison.Ordinal);
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", plain, StringComparison.Ordinal);
        Assert.Contains("<ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("RestoreAdditionalProjectSources", plain, StringComparison.Ordinal);

        var withFeed = File(SetupFiles.For(Facts, new SetupOptions { Source = "/feeds/a&b" }, "1.0.0"), "build/_build.csproj");
        Assert.Contains("<RestoreAdditionalProjectSources>/feeds/a&amp;b</RestoreAdditionalProjectSources>", withFeed, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_cs_adopts_the_service_pipeline_with_the_project_and_the_declared_smoke_endpoints()
    {
        var options = new SetupOptions { ProvenancePath = "/about", ProvenanceFields = ["release", "commit", "chart"], ProtectedPaths = ["/api/orders", "/admin"] };

        var build = File(SetupFiles.For(Facts, options, "1.0.0"), "build/Build.cs");

        Assert.Contains("partial class Build : SlipwayBuild, IServicePipeline", build, StringComparison.Ordinal);
        Assert.Contains("Execute<Build>(args, x => x.From<IServicePipeline>().Ci);", build, StringComparison.Ordinal);
        Assert.Contains("string IContainerImage.ImageProject => \"src/Orders/Orders.csproj\";", build, StringComparison.Ordinal);
        Assert.Contains("new ProvenanceEndpoint(\"/about\", versionField: \"release\", gitShaField: \"commit\", chartVersionField: \"chart\"),", build, StringComparison.Ordinal);
        Assert.Contains("protectedPaths: [\"/api/orders\", \"/admin\"]);", build, StringComparison.Ordinal);
        Assert.DoesNotContain("ChartDirectory", build, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chart_named_with_chart_is_named_in_Build_cs_too_and_strings_are_escaped()
    {
        var build = File(SetupFiles.For(Facts with { Chart = "charts/or\"ders", ChartNamed = true }, new SetupOptions(), "1.0.0"), "build/Build.cs");

        Assert.Contains("string? IChartGates.ChartDirectory => \"charts/or\\\"ders\";", build, StringComparison.Ordinal);
        Assert.Contains("using Slipway.Release.Helm;", build, StringComparison.Ordinal);
        Assert.Contains("new ProvenanceEndpoint(\"/version\", versionField: \"version\", gitShaField: \"git_sha\", chartVersionField: \"chart_version\"),", build, StringComparison.Ordinal);
        Assert.Contains("protectedPaths: []);", build, StringComparison.Ordinal);
    }
}
