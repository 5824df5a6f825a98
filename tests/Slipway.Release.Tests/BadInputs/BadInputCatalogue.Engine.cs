namespace Slipway.Release.Tests.BadInputs;

/// <summary>The engine's own inputs: targets, parameter names, the engine's parameters, and the sources values come from.</summary>
public sealed partial class BadInputCatalogue
{
    private static BadInput[] Engine =>
    [
        new("unknown target", "Versoin") { Says = ["Unknown target 'Versoin'.", "Did you mean 'Version'?", "--help"] },
        new("unknown parameter", "Version", "--regsitry", "ghcr.io/acme") { Says = ["Unknown parameter '--regsitry'.", "Did you mean '--registry'?"] },
        new("max-parallel below 1", "Version", "--max-parallel", "0")
        {
            Says = ["Parameter --max-parallel must be from 1 to 1024, got '0'.", "It came from the command line: correct the value after --max-parallel"],
        },
        new("max-parallel not a number", "Version", "--max-parallel", "many") { Says = ["Parameter --max-parallel expects int, got 'many'.", "the command line"] },
        new("max-parallel given twice", "Version", "--max-parallel", "1", "2") { Says = ["Parameter --max-parallel takes one value, got 2."] },
        new("cancellation budget of 0", "Version", "--cancellation-budget", "0") { Says = ["Parameter --cancellation-budget must be from 1 to 3600, got '0'."] },
        new("bad value in a SLIPWAY_ variable", "Version")
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_MAX_PARALLEL"] = "-3" },
            Says = ["got '-3'", "It came from the environment variable SLIPWAY_MAX_PARALLEL: correct or unset SLIPWAY_MAX_PARALLEL."],
        },
        new("bad value in parameters.json", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "{\n  \"$schema\": \"./build.schema.json\",\n  \"MaxParallel\": 0\n}\n"),
            Says = ["got '0'", "It came from .nuke/parameters.json line 3: correct it in .nuke/parameters.json line 3, or override it with --max-parallel."],
        },
        new("bad value in a profile", "Version", "--profile", "ci")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.ci.json", "{\n  \"cancellation-budget\": 99999\n}\n"),
            Says = ["Parameter --cancellation-budget must be from 1 to 3600, got '99999'.", "the profile file .nuke/parameters.ci.json line 2"],
        },
        new("missing profile", "Version", "--profile", "nightly") { Says = ["Profile file '.nuke/parameters.nightly.json' does not exist", "--profile"] },
        new("profile without a name", "Version", "--profile") { Says = ["--profile needs a name"] },
        new("parameters.json not JSON", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "{ \"MaxParallel\": 2,, }"),
            Says = ["'.nuke/parameters.json' is not valid JSON at line 1, column 20:"],
            Never = ["LineNumber: 0"],
        },
        new("parameters.json not an object", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "[1, 2]"),
            Says = ["'.nuke/parameters.json' must hold a JSON object of parameter names and values."],
        },
        new("unknown key in parameters.json", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "{\n  \"MaxParalel\": 2\n}"),
            Says = ["'.nuke/parameters.json' line 2 sets unknown parameter 'MaxParalel'. Did you mean 'MaxParallel'?"],
        },
        new("wrong JSON type in parameters.json", "Version")
        {
            Arrange = workspace => workspace.WriteFile(".nuke/parameters.json", "{ \"MaxParallel\": { \"value\": 2 } }"),
            Says = ["cannot take the JSON value", "It came from .nuke/parameters.json line 1"],
        },
        new("several bad values at once", "Version", "--max-parallel", "0", "--cancellation-budget", "0")
        {
            Says = ["Parameter --max-parallel must be from 1 to 1024", "Parameter --cancellation-budget must be from 1 to 3600"],
        },
        new("--plan refuses a bad value the same way", "--plan", "Version", "--max-parallel", "0")
        {
            Says = ["Parameter --max-parallel must be from 1 to 1024, got '0'."],
        },
        new("no .nuke directory", "Version")
        {
            WorkingDirectory = "..",
            Says = ["No .nuke/ directory in", "run the build from inside the repository"],
        },
        new("TMPDIR that does not exist", "Version")
        {
            Environment = new Dictionary<string, string> { ["TMPDIR"] = "/nonexistent-slipway-temp" },
            ExitCode = ExitCodes.Failed,
            Says = ["Cannot create the run's temp folder in /nonexistent-slipway-temp", "Set TMPDIR to a folder this user can write to."],
        },
        new("a SLIPWAY_ variable that matches no parameter", "Version")
        {
            Environment = new Dictionary<string, string> { ["SLIPWAY_REGISTY"] = "ghcr.io/acme", ["SLIPWAY_TOOL_CACHE"] = "/tmp/unused" },
            ExitCode = ExitCodes.Succeeded,
            Says = ["warning: SLIPWAY_REGISTY is set but matches no parameter, so it is ignored. Did you mean 'SLIPWAY_REGISTRY'?"],
            Never = ["SLIPWAY_TOOL_CACHE is set"],
        },
        new("a secret on the command line in CI", "Version", "--registry-password", "pw-cmdline-4d2e")
        {
            Environment = new Dictionary<string, string> { ["CI"] = "true" },
            ExitCode = ExitCodes.Succeeded,
            Says = ["--registry-password is a secret given on the command line, which other processes on this machine can read; in CI, set SLIPWAY_REGISTRY_PASSWORD instead"],
            Never = ["pw-cmdline-4d2e"],
        },
    ];
}
