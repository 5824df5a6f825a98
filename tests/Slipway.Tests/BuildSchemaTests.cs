using System.Text.Json;
using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class BuildSchemaTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class WithSchema : SlipwayBuild, IBuildSchema
    {
        [Parameter("Where to publish")]
        public readonly string? Registry;

        [Parameter("Which flavour"), OneOf("plain", "spicy")]
        public readonly string Flavour = "plain";

        Target Default => _ => _.DependsOn(this.From<IBuildSchema>().CheckBuildSchema);
    }

    [Fact]
    public async Task The_schema_lists_targets_and_parameters_and_the_check_fails_until_it_is_written()
    {
        var stale = await BuildRun.RunAsync<WithSchema>(_workspace, []);
        Assert.Equal(ExitCodes.Failed, stale.ExitCode);
        Assert.Contains("build.schema.json is missing: run ./build.sh UpdateBuildSchema and commit it", stale.Output);

        Assert.Equal(0, (await BuildRun.RunAsync<WithSchema>(_workspace, ["UpdateBuildSchema"])).ExitCode);
        var schema = JsonDocument.Parse(await File.ReadAllTextAsync(_workspace.NukeFile("build.schema.json"))).RootElement;
        var targets = schema.GetProperty("definitions").GetProperty("Target").GetProperty("enum").EnumerateArray().Select(item => item.GetString()).ToList();
        Assert.Contains("Default", targets);
        Assert.Contains("CheckBuildSchema", targets);
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("Registry").GetProperty("type").GetString());
        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("MaxParallel").GetProperty("type").GetString());
        Assert.Equal(1, schema.GetProperty("properties").GetProperty("MaxParallel").GetProperty("minimum").GetDouble());
        Assert.Equal(["plain", "spicy"], schema.GetProperty("properties").GetProperty("Flavour").GetProperty("enum").EnumerateArray().Select(item => item.GetString()));

        Assert.Equal(0, (await BuildRun.RunAsync<WithSchema>(_workspace, [])).ExitCode);

        await File.WriteAllTextAsync(_workspace.NukeFile("build.schema.json"), "{}");
        var edited = await BuildRun.RunAsync<WithSchema>(_workspace, []);
        Assert.Equal(ExitCodes.Failed, edited.ExitCode);
        Assert.Contains("is stale", edited.Output);
    }
}
