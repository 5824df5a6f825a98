using Slipway.Tests.Support;

namespace Slipway.Tests;

public sealed class ParameterTests : IDisposable
{
    private readonly TestWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    public enum Flavour
    {
        Plain,
        Spicy,
    }

    private sealed class Parameterised : SlipwayBuild
    {
        [Parameter("Where to publish")]
        public readonly string? Registry;

        [Parameter("Password for the registry"), Secret]
        public readonly string? RegistryPassword;

        [Parameter("How many")]
        public readonly int Count = 3;

        [Parameter("Whether to sign")]
        public readonly bool RequireSignature;

        [Parameter("Platforms to build")]
        public readonly string[] Platforms = ["linux/amd64"];

        [Parameter("Taste")]
        public readonly Flavour Taste;

        Target Default => _ => _.Executes(() => Log.Info($"registry={Registry} count={Count}"));

        Target Publish => _ => _.Requires(() => Registry).Executes(() => Log.Info("published"));

        Target Leak => _ => _.Executes(() => throw new InvalidOperationException($"login failed for password {RegistryPassword}"));
    }

    [Fact]
    public async Task Command_line_beats_environment_which_beats_parameters_json_which_beats_the_profile()
    {
        _workspace.WriteParameters("""{ "Registry": "from-json", "Count": 5, "Taste": "Spicy" }""");
        _workspace.WriteParameters("""{ "Registry": "from-profile", "RequireSignature": true }""", profile: "ci");

        var fromCommandLine = new Parameterised();
        await BuildRun.RunAsync(_workspace, ["--REGISTRY", "from-cli", "--profile", "ci"], new Dictionary<string, string> { ["SLIPWAY_REGISTRY"] = "from-env" }, build: fromCommandLine);
        Assert.Equal("from-cli", fromCommandLine.Registry);
        Assert.Equal(5, fromCommandLine.Count);
        Assert.True(fromCommandLine.RequireSignature);
        Assert.Equal(Flavour.Spicy, fromCommandLine.Taste);

        var fromEnvironment = new Parameterised();
        await BuildRun.RunAsync(_workspace, ["--profile", "ci"], new Dictionary<string, string> { ["SLIPWAY_REGISTRY"] = "from-env" }, build: fromEnvironment);
        Assert.Equal("from-env", fromEnvironment.Registry);

        var fromJson = new Parameterised();
        await BuildRun.RunAsync(_workspace, ["--profile", "ci"], build: fromJson);
        Assert.Equal("from-json", fromJson.Registry);
    }

    [Fact]
    public async Task Unprefixed_environment_variables_are_never_read()
    {
        var build = new Parameterised();
        await BuildRun.RunAsync(_workspace, [], new Dictionary<string, string> { ["REGISTRY"] = "hijacked", ["COUNT"] = "9" }, build: build);

        Assert.Null(build.Registry);
        Assert.Equal(3, build.Count);
    }

    [Theory]
    [InlineData("--registry-password")]
    [InlineData("--RegistryPassword")]
    [InlineData("--registry_password")]
    public async Task Names_ignore_dashes_underscores_and_case(string spelling)
    {
        var build = new Parameterised();
        await BuildRun.RunAsync(_workspace, [spelling, "hunter22"], build: build);

        Assert.Equal("hunter22", build.RegistryPassword);
    }

    [Fact]
    public async Task Flags_lists_and_inline_values_bind()
    {
        var build = new Parameterised();
        await BuildRun.RunAsync(_workspace, ["--require-signature", "--platforms", "linux/amd64", "linux/arm64,linux/riscv64", "--count=7"], build: build);

        Assert.True(build.RequireSignature);
        Assert.Equal(["linux/amd64", "linux/arm64", "linux/riscv64"], build.Platforms);
        Assert.Equal(7, build.Count);
    }

    [Fact]
    public async Task A_value_that_starts_with_dashes_is_a_value_not_an_option()
    {
        const string pem = "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----";
        var build = new Parameterised();
        var run = await BuildRun.RunAsync(_workspace, ["--registry-password", pem], build: build);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(pem, build.RegistryPassword);
    }

    [Fact]
    public async Task An_unknown_parameter_exits_2_and_suggests_the_closest()
    {
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, ["--regsitry", "x"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Unknown parameter '--regsitry'. Did you mean '--registry'?", run.Output);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_exits_2_naming_parameter_and_type()
    {
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, ["--count", "many"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Parameter --count expects int, got 'many'.", run.Output);
    }

    [Fact]
    public async Task An_unknown_key_in_parameters_json_exits_2()
    {
        _workspace.WriteParameters("""{ "Regisrty": "x" }""");
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, []);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("sets unknown parameter 'Regisrty'. Did you mean 'Registry'?", run.Output);
    }

    [Fact]
    public async Task A_missing_required_parameter_exits_2_before_anything_runs_and_says_how_to_pass_it()
    {
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, ["Default", "Publish"]);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Missing required parameter 'Registry' (needed by Publish): pass --registry <string> or set SLIPWAY_REGISTRY.", run.Output);
        Assert.DoesNotContain("registry=", run.Output);
    }

    [Fact]
    public async Task Secret_values_are_masked_everywhere_including_exception_messages_and_the_log_file()
    {
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, ["Leak", "--registry-password", "hunter22"]);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.DoesNotContain("hunter22", run.Output);
        Assert.Contains("login failed for password ***", run.Output);
        var log = await File.ReadAllTextAsync(Path.Combine(_workspace.Root, ".nuke", "temp", "build.log"));
        Assert.Contains("***", log);
        Assert.DoesNotContain("hunter22", log);
    }

    [Fact]
    public async Task Help_lists_targets_parameters_their_environment_names_defaults_and_secrets()
    {
        var run = await BuildRun.RunAsync<Parameterised>(_workspace, ["--help"], build: new Parameterised());

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Publish", run.Output);
        Assert.Contains("--registry-password <string>  [secret]", run.Output);
        Assert.Contains("env SLIPWAY_REGISTRY_PASSWORD", run.Output);
        Assert.Contains("env SLIPWAY_COUNT  (default: 3)", run.Output);
        Assert.Contains("--taste <Plain | Spicy>", run.Output);
    }

    [Fact]
    public async Task Help_never_shows_a_secret_default()
    {
        var run = await BuildRun.RunAsync<SecretDefault>(_workspace, ["--help"]);

        Assert.DoesNotContain("built-in-token", run.Output);
    }

    private sealed class SecretDefault : SlipwayBuild
    {
        [Parameter("A token"), Secret]
        public readonly string Token = "built-in-token";

        Target Default => _ => _.Executes(() => { });
    }
}
