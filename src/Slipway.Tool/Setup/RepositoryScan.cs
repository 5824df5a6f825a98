using System.Xml.Linq;
using Slipway.Processes;

namespace Slipway.Tool.Setup;

/// <summary>Finds what setup needs to know without asking: the repository root, the service project, the chart and the SDK.</summary>
public sealed class RepositoryScan(IProcessRunner runner)
{
    public const string WebSdk = "Microsoft.NET.Sdk.Web";

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", "node_modules", "artifacts", "build" };

    public async Task<RepositoryFacts> ScanAsync(string workingDirectory, SetupOptions options, CancellationToken cancellationToken = default)
    {
        var root = await GitRootAsync(workingDirectory, cancellationToken);
        var project = options.Project is { } named ? NamedProject(root, named) : FindServiceProject(root);
        var (chart, chartNamed) = options.Chart is { } chartFolder ? (NamedChart(root, chartFolder), true) : (FindChart(root), false);
        var sdk = await runner.RunAsync(new ToolCommand("dotnet", "--version") { WorkingDirectory = root, StreamOutput = false, ThrowOnFailure = false }, cancellationToken);
        if (!sdk.Succeeded)
            throw new SetupException($"'dotnet --version' failed in {root} (exit {sdk.ExitCode}): {sdk.StandardError.Trim()} Install the SDK that global.json names, or fix global.json.");
        return new RepositoryFacts(root, project, chart, chartNamed, DotNetSdk.Parse(sdk.StandardOutput, root));
    }

    /// <summary>The only project under the root whose SDK is ASP.NET Core's (bin, obj, build/ and hidden folders left out).</summary>
    public static string FindServiceProject(string root)
    {
        var projects = Projects(root).Where(IsWebProject).Select(path => Relative(root, path)).Order(StringComparer.Ordinal).ToList();
        return projects switch
        {
            [var only] => only,
            [] => throw new SetupException($"No ASP.NET Core project (Sdk=\"{WebSdk}\") in {root}: the pipeline releases a service's image. Pass --project <path of the service's .csproj>."),
            _ => throw new SetupException($"Several ASP.NET Core projects in {root} ({string.Join(", ", projects)}): pass --project <one of them>, the service to release."),
        };
    }

    /// <summary>The only folder under charts/ that holds a Chart.yaml.</summary>
    public static string FindChart(string root)
    {
        var folder = Path.Combine(root, "charts");
        var charts = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Where(directory => File.Exists(Path.Combine(directory, "Chart.yaml"))).Select(path => Relative(root, path)).Order(StringComparer.Ordinal).ToList()
            : [];
        return charts switch
        {
            [var only] => only,
            [] => throw new SetupException($"No chart in {folder}: the pipeline releases the service with its Helm chart. Add it as charts/<name>/Chart.yaml, or pass --chart <folder>."),
            _ => throw new SetupException($"Several charts under {folder} ({string.Join(", ", charts)}): pass --chart <one of them>."),
        };
    }

    private static string NamedProject(string root, string named)
    {
        var path = Path.GetFullPath(named, root);
        if (!File.Exists(path) || !path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            throw new SetupException($"--project {named}: {path} is not a .csproj file. Name the service's project file, relative to {root}.");
        return Inside(root, path, "--project", named);
    }

    private static string NamedChart(string root, string named)
    {
        var path = Path.GetFullPath(named, root);
        if (!File.Exists(Path.Combine(path, "Chart.yaml")))
            throw new SetupException($"--chart {named}: {path} holds no Chart.yaml. Name the chart's folder, relative to {root}.");
        return Inside(root, path, "--chart", named);
    }

    private static string Inside(string root, string path, string option, string named)
    {
        var relative = Relative(root, path);
        return relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? throw new SetupException($"{option} {named}: {path} is outside the repository {root}.")
            : relative;
    }

    private async Task<string> GitRootAsync(string workingDirectory, CancellationToken cancellationToken)
    {
        var result = await runner.RunAsync(
            new ToolCommand("git", "rev-parse", "--show-toplevel") { WorkingDirectory = workingDirectory, StreamOutput = false, ThrowOnFailure = false }, cancellationToken);
        return result.Succeeded
            ? Path.GetFullPath(result.StandardOutput.Trim())
            : throw new SetupException($"{workingDirectory} is not inside a git work tree ({result.StandardError.Trim()}): versions come from git history and tags. Run git init (and commit) first.");
    }

    private static IEnumerable<string> Projects(string directory)
    {
        foreach (var project in Directory.EnumerateFiles(directory, "*.csproj"))
            yield return project;
        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedFolders.Contains(name))
                continue;
            foreach (var project in Projects(child))
                yield return project;
        }
    }

    private static bool IsWebProject(string path)
    {
        XElement project;
        try
        {
            project = XDocument.Load(path).Root ?? throw new SetupException($"{path} is empty.");
        }
        catch (System.Xml.XmlException exception)
        {
            throw new SetupException($"{path} is not a readable project file ({exception.Message}): fix it, or pass --project <the service's .csproj>.");
        }

        static bool IsWeb(string? sdk) => sdk?.Split(';').Any(part => part.Split('/')[0].Trim() == WebSdk) == true;
        return IsWeb((string?)project.Attribute("Sdk")) || project.Elements("Sdk").Any(sdk => IsWeb((string?)sdk.Attribute("Name")));
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
