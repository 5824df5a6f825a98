using System.CommandLine;
using System.Reflection;
using Slipway.Processes;
using Slipway.Secrets;
using Slipway.Tool;
using Slipway.Tool.Setup;

var project = new Option<string?>("--project") { Description = "The service's .csproj, relative to the repository (default: the only ASP.NET Core project)" };
var chart = new Option<string?>("--chart") { Description = "The chart's folder (default: the only chart under charts/)" };
var source = new Option<string?>("--source") { Description = "An extra NuGet source for the Slipway packages (e.g. a folder feed), written into build/_build.csproj" };
var provenance = new Option<string>("--provenance")
{
    Description = "Path of the endpoint that reports the service's provenance, checked by the image smoke",
    DefaultValueFactory = _ => "/version",
};
var provenanceFields = new Option<string>("--provenance-fields")
{
    Description = "Its JSON fields for version, git sha and chart version, comma-separated in that order",
    DefaultValueFactory = _ => string.Join(',', SetupOptions.ConventionalProvenanceFields),
};
var protectedPaths = new Option<string[]>("--protected")
{
    Description = "A path that must refuse anonymous callers with 401 (repeat for several)",
    AllowMultipleArgumentsPerToken = false,
};
var force = new Option<bool>("--force") { Description = "Replace build.sh, build.cmd, build/_build.csproj and build/Build.cs when they differ from what setup writes" };

var setup = new Command("setup", "Adopt Slipway in this git repository: build.sh, build.cmd, global.json (if absent), build/, .nuke/ and the generated .github/workflows")
{
    project, chart, source, provenance, provenanceFields, protectedPaths, force,
};
setup.SetAction(async (parsed, cancellationToken) =>
{
    var log = new ConsoleLog(Console.Out, Console.Error);
    var fields = parsed.GetValue(provenanceFields)!.Split(',', StringSplitOptions.TrimEntries);
    if (fields.Length != 3 || fields.Any(field => field.Length == 0))
    {
        log.Error($"--provenance-fields '{parsed.GetValue(provenanceFields)}' must name three fields, for version, git sha and chart version, e.g. version,git_sha,chart_version.");
        return 2;
    }

    var paths = parsed.GetValue(protectedPaths) ?? [];
    if (paths.Prepend(parsed.GetValue(provenance)!).FirstOrDefault(path => !path.StartsWith('/')) is { } relative)
    {
        log.Error($"'{relative}' (--provenance or --protected) must be a path starting with '/', e.g. /version.");
        return 2;
    }

    var options = new SetupOptions
    {
        Project = parsed.GetValue(project),
        Chart = parsed.GetValue(chart),
        Source = parsed.GetValue(source) is { } feed ? Path.GetFullPath(feed) : null,
        ProvenancePath = parsed.GetValue(provenance)!,
        ProvenanceFields = fields,
        ProtectedPaths = paths,
        Force = parsed.GetValue(force),
    };
    try
    {
        var runner = new ProcessRunner(log, new SecretRegistry());
        return await new SetupRun(runner, log).RunAsync(Directory.GetCurrentDirectory(), options, ToolVersion(), cancellationToken);
    }
    catch (SetupException exception)
    {
        log.Error(exception.Message);
        return 2;
    }
});

var root = new RootCommand("Slipway: a repository's release pipeline as a typed C# build (https://nuke.build style); 'slipway setup' adopts it.") { setup };
var invocation = root.Parse(args);
var exitCode = await invocation.InvokeAsync();
// A bad invocation exits 2, as the build's does; System.CommandLine has already said what is wrong.
return invocation.Errors.Count > 0 ? 2 : exitCode;

// The package version this tool was packed with (the informational version without Source Link's +sha): the Slipway.Release it writes.
static string ToolVersion()
{
    var informational = typeof(SetupRun).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    return informational.Split('+')[0];
}
