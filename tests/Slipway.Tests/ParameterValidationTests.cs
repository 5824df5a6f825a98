using Slipway.Parameters;
using Slipway.Tests.Support;

[assembly: Slipway.EnvironmentVariable("SLIPWAY_TEST_CACHE", "A variable the tests' builds read directly")]

namespace Slipway.Tests;

public sealed class ParameterValidationTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    private sealed class EvenCheck : IParameterCheck
    {
        public string? Check(string value, ParameterCheckContext context) => int.Parse(value) % 2 == 0 ? null : "must be even";
    }

    private sealed class Checked : SlipwayBuild
    {
        public bool Ran { get; private set; }

        [Parameter("How many"), Range(Minimum = 1, Maximum = 8)]
        public readonly int Count = 2;

        [Parameter("How many pairs"), CheckedBy<EvenCheck>]
        public readonly int Pairs = 2;

        [Parameter("Which flavour"), OneOf("plain", "spicy")]
        public readonly string Flavour = "plain";

        [Parameter("Where the input is"), ExistingDirectory]
        public readonly string Input = "does-not-exist-by-default";

        [Parameter("A token"), Secret, OneOf("tok-valid")]
        public readonly string? Token;

        [Parameter("Platforms"), OneOf("a", "b")]
        public readonly string[] Platforms = [];

        Target Default => _ => _.Executes(() => Ran = true);
    }

    [Fact]
    public async Task A_value_out_of_range_exits_2_before_anything_runs_naming_parameter_value_source_and_next_step()
    {
        var build = new Checked();
        var run = await BuildRun.RunAsync(_workspace, ["--count", "0"], build: build);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.False(build.Ran);
        Assert.Contains("Parameter --count must be from 1 to 8, got '0'. It came from the command line: correct the value after --count on the command line.", run.Output);
    }

    [Fact]
    public async Task Plan_fails_the_same_way()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--plan", "--flavour", "sour"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --flavour must be one of plain, spicy, got 'sour'.", run.Output);
        Assert.DoesNotContain("Plan for", run.Output);
    }

    [Fact]
    public async Task A_bad_value_from_the_environment_names_the_variable()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, [], new Dictionary<string, string> { ["SLIPWAY_PAIRS"] = "3" });

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --pairs must be even, got '3'. It came from the environment variable SLIPWAY_PAIRS: correct or unset SLIPWAY_PAIRS.", run.Output);
    }

    [Fact]
    public async Task A_bad_value_from_a_parameter_file_or_profile_names_the_file_and_line()
    {
        _workspace.WriteParameters("{\n  \"$schema\": \"./build.schema.json\",\n  \"Count\": 9\n}");
        _workspace.WriteParameters("{\n\n\n  \"flavour\": \"sour\"\n}", profile: "ci");
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--profile", "ci"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("got '9'. It came from .nuke/parameters.json line 3: correct it in .nuke/parameters.json line 3, or override it with --count.", run.Output);
        Assert.Contains("got 'sour'. It came from the profile file .nuke/parameters.ci.json line 4: correct it in .nuke/parameters.ci.json line 4, or override it with --flavour.", run.Output);
    }

    [Fact]
    public async Task A_value_that_does_not_convert_also_names_its_source()
    {
        _workspace.WriteParameters("{ \"Count\": \"many\" }");
        var run = await BuildRun.RunAsync<Checked>(_workspace, []);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --count expects int, got 'many'. It came from .nuke/parameters.json line 1:", run.Output);
    }

    [Fact]
    public async Task Every_bad_value_is_reported_at_once_and_a_list_is_checked_element_by_element()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--count", "99", "--platforms", "a,c", "--input", "nowhere"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --count must be from 1 to 8, got '99'.", run.Output);
        Assert.Contains("Parameter --platforms must be one of a, b, got 'c'.", run.Output);
        Assert.Contains($"Parameter --input must be an existing directory (relative to the repository root {_workspace.Root}), got 'nowhere'.", run.Output);
    }

    [Fact]
    public async Task A_directory_is_found_relative_to_the_root_and_a_default_is_never_checked()
    {
        Directory.CreateDirectory(Path.Combine(_workspace.Root, "charts", "app"));
        var build = new Checked();
        var run = await BuildRun.RunAsync(_workspace, ["--input", "charts/app"], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.True(build.Ran);
        Assert.Equal(ExitCodes.Succeeded, (await BuildRun.RunAsync<Checked>(_workspace, [])).ExitCode);
    }

    [Fact]
    public async Task A_secrets_bad_value_is_never_shown()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--token", "tok-wrong-7f3a"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --token must be one of tok-valid, got (a secret value, not shown).", run.Output);
        Assert.DoesNotContain("tok-wrong-7f3a", run.Output);
    }

    [Fact]
    public async Task A_slipway_variable_that_matches_no_parameter_is_warned_about_with_the_closest_name_and_declared_ones_are_not()
    {
        var environment = new Dictionary<string, string> { ["SLIPWAY_CONUT"] = "3", ["SLIPWAY_TEST_CACHE"] = "/cache", ["SLIPWAY_RUN_ID"] = "outer" };
        var run = await BuildRun.RunAsync<Checked>(_workspace, [], environment);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("warning: SLIPWAY_CONUT is set but matches no parameter, so it is ignored. Did you mean 'SLIPWAY_COUNT'?", run.Output);
        Assert.DoesNotContain("SLIPWAY_TEST_CACHE", run.Output);
        Assert.DoesNotContain("SLIPWAY_RUN_ID", run.Output);
    }

    [Fact]
    public async Task Help_lists_the_declared_variables()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--help"]);

        Assert.Contains("  SLIPWAY_TEST_CACHE\n      A variable the tests' builds read directly", run.Output.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData(null, false)]
    public async Task A_secret_on_the_command_line_in_ci_is_warned_about_naming_its_variable(string? ci, bool warned)
    {
        var environment = ci is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["CI"] = ci };
        var run = await BuildRun.RunAsync<Checked>(_workspace, ["--token", "tok-valid"], environment);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(warned, run.Output.Contains("--token is a secret given on the command line, which other processes on this machine can read; in CI, set SLIPWAY_TOKEN instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_from_the_environment_in_ci_is_not_warned_about()
    {
        var run = await BuildRun.RunAsync<Checked>(_workspace, [], new Dictionary<string, string> { ["CI"] = "true", ["SLIPWAY_TOKEN"] = "tok-valid" });

        Assert.DoesNotContain("warning", run.Output);
    }

    [Fact]
    public async Task Components_can_read_where_a_value_came_from()
    {
        _workspace.WriteParameters("{\n  \"Flavour\": \"spicy\"\n}");
        var build = new Checked();
        await BuildRun.RunAsync(_workspace, ["--count", "3"], new Dictionary<string, string> { ["SLIPWAY_PAIRS"] = "4" }, build: build);

        Assert.Equal(ParameterSource.CommandLine, build.ParameterSourceOf("Count"));
        Assert.Equal("the environment variable SLIPWAY_PAIRS", build.ParameterSourceOf("Pairs").ToString());
        Assert.Equal(".nuke/parameters.json line 2", build.ParameterSourceOf("Flavour").ToString());
        Assert.Equal(ParameterSourceKind.Default, build.ParameterSourceOf("Input").Kind);
    }

    [Fact]
    public void Range_words_open_bounds_as_at_least_and_at_most()
    {
        var context = new ParameterCheckContext("/");

        Assert.Equal("must be at least 1", new RangeAttribute { Minimum = 1 }.Check(0, context));
        Assert.Equal("must be at most 100", new RangeAttribute { Maximum = 100 }.Check(100.5, context));
        Assert.Null(new RangeAttribute { Minimum = 0, Maximum = 100 }.Check(100, context));
    }
}
