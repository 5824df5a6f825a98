using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using Slipway.Processes;
using Xunit.Abstractions;

namespace Slipway.Tool.Tests.Adoption;

/// <summary>
/// Slipway adopted the way a repository that is not this one would: its packages in a folder feed, <c>slipway setup</c>
/// installed from there, run in a fresh git repository holding another service (Ledger: its own name, port 7391, env names,
/// provenance at /about with its own field names, /api/entries protected, its own chart with ci/ cases), and then that
/// repository's own <c>./build.sh Ci</c> and <c>./build.sh Publish</c> (embedded registry, both platforms smoked).
/// </summary>
[Trait("Category", "Integration")]
public sealed class AdoptionIntegrationTests(PackedFeed feed, ITestOutputHelper output) : IClassFixture<PackedFeed>, IDisposable
{
    private const string ServicePort = "7391";

    private readonly TempDirectory _repository = new();
    private readonly TempDirectory _tools = new();
    private readonly List<string> _outputs = [];

    public void Dispose()
    {
        _repository.Dispose();
        _tools.Dispose();
    }

    [Fact]
    public void The_packages_name_no_Beacon_and_hold_no_path_of_this_repository()
    {
        Assert.Equal(
            [$"Slipway.{feed.Version}.nupkg", $"Slipway.Release.{feed.Version}.nupkg", $"Slipway.Tool.{feed.Version}.nupkg"],
            feed.Packages.Select(Path.GetFileName));
        var head = Git(TestRepository.Root, "rev-parse", "HEAD").Trim();

        foreach (var package in feed.Packages)
        {
            using var archive = ZipFile.OpenRead(package);
            var nuspec = Text(archive.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)));
            Assert.Contains($"<version>{feed.Version}</version>", nuspec, StringComparison.Ordinal);
            Assert.Contains("<readme>README.md</readme>", nuspec, StringComparison.Ordinal);
            Assert.Contains($"commit=\"{head}\"", nuspec, StringComparison.Ordinal);
            Assert.Contains(archive.Entries, entry => entry.FullName == "README.md");

            var assemblies = archive.Entries.Where(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal) && Path.GetFileNameWithoutExtension(entry.Name).StartsWith("Slipway", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(assemblies);
            foreach (var entry in archive.Entries)
                AssertNamesNeither(Bytes(entry), $"{Path.GetFileName(package)}!{entry.FullName}", TestRepository.Root, "beacon");
            foreach (var assembly in assemblies)
            {
                var sources = PdbDocuments(Bytes(assembly));
                Assert.NotEmpty(sources);
                Assert.All(sources, source => Assert.StartsWith("/_/", source, StringComparison.Ordinal));
                Assert.All(sources, source => Assert.DoesNotContain("beacon", source, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public async Task Another_repository_adopts_the_whole_pipeline_with_one_setup_and_runs_Ci_and_Publish_green()
    {
        CopyFixture(Path.Combine(AppContext.BaseDirectory, "Fixtures", "ledger"), _repository.Path);
        Git(_repository.Path, "init", "--quiet", "--initial-branch=main");
        Commit("Ledger, a small bookkeeping service");
        await RunAsync("dotnet", ["tool", "install", "Slipway.Tool", "--tool-path", _tools.Path, "--version", feed.Version, "--add-source", feed.Feed], TestRepository.Root);
        string[] setup = ["setup", "--source", feed.Feed, "--provenance", "/about", "--provenance-fields", "release,commit,chart", "--protected", "/api/entries"];

        var first = await RunAsync(Path.Combine(_tools.Path, "slipway"), setup);
        foreach (var file in new[] { "build.sh", "build.cmd", "global.json", "build/_build.csproj", "build/Build.cs", ".nuke/parameters.json" })
            Assert.Contains($"written   {file}\n", first, StringComparison.Ordinal);
        foreach (var workflow in new[] { "ci.yml", "publish.yml", "pr-smoke.yml", "pr-comment.yml", "janitor.yml" })
            Assert.Contains($"GenerateWorkflows │ wrote .github/workflows/{workflow}", first, StringComparison.Ordinal);
        Assert.Contains("./build.sh PrSmoke --cluster kind", Read(".github/workflows/pr-smoke.yml"), StringComparison.Ordinal);
        Assert.Contains("chart charts/ledger (the only one under charts/)", first, StringComparison.Ordinal);
        Assert.Contains($"<PackageReference Include=\"Slipway.Release\" Version=\"{feed.Version}\" />", Read("build/_build.csproj"), StringComparison.Ordinal);
        Assert.True(File.Exists(_repository.Combine(".nuke", "build.schema.json")));
        Commit("Adopt Slipway");

        var second = await RunAsync(Path.Combine(_tools.Path, "slipway"), setup);
        Assert.Contains("Done: 7 unchanged.", second, StringComparison.Ordinal);
        Assert.Equal(string.Empty, Git(_repository.Path, "status", "--porcelain"));

        var ci = await RunAsync("bash", ["build.sh", "Ci"]);
        Assert.Contains("Chart: charts/ledger (the only chart under charts/", ci, StringComparison.Ordinal);
        Assert.Contains("\nTests: 2 passed, 0 failed, 0 skipped", ci, StringComparison.Ordinal);

        var publish = await RunAsync("bash", ["build.sh", "Publish"]);
        using var record = JsonDocument.Parse(Read("artifacts/release.json"));
        var version = record.RootElement.GetProperty("version").GetString();
        var sha = Git(_repository.Path, "rev-parse", "HEAD").Trim();
        Assert.Equal(sha, record.RootElement.GetProperty("gitSha").GetString());
        Assert.Matches($"^127\\.0\\.0\\.1:\\d+/ledger:{version}$", record.RootElement.GetProperty("image").GetProperty("reference").GetString());
        foreach (var platform in new[] { "linux/amd64", "linux/arm64" })
        {
            Assert.Contains($"[{platform}] ok   readinessProbe GET /healthz/ready on port {ServicePort}", publish, StringComparison.Ordinal);
            Assert.Contains($"[{platform}] ok   GET /about: release={version}, commit={sha}, chart={version}", publish, StringComparison.Ordinal);
            Assert.Contains($"[{platform}] ok   GET /api/entries without credentials: 401", publish, StringComparison.Ordinal);
            Assert.Contains($"{platform}: smoke contract passed", publish, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, Git(_repository.Path, "status", "--porcelain"));
        foreach (var text in _outputs)
            Assert.DoesNotContain("beacon", text, StringComparison.OrdinalIgnoreCase);
        foreach (var file in WrittenByTheBuild())
            AssertNamesNeither(File.ReadAllBytes(file), file, "beacon");
    }

    /// <summary>Everything setup and the build wrote: the build's files, .nuke (logs, staging, the compiled build), artifacts.</summary>
    private IEnumerable<string> WrittenByTheBuild() =>
        new[] { "build.sh", "build.cmd", "global.json" }.Select(file => _repository.Combine(file))
            .Concat(new[] { "build", ".nuke", ".github", "artifacts" }.SelectMany(folder => Directory.EnumerateFiles(_repository.Combine(folder), "*", SearchOption.AllDirectories)));

    private async Task<string> RunAsync(string fileName, string[] arguments, string? workingDirectory = null)
    {
        var command = new ToolCommand(fileName, arguments)
        {
            WorkingDirectory = workingDirectory ?? _repository.Path,
            Environment = OutsideWorld(),
            StreamOutput = false,
            ThrowOnFailure = false,
        };
        var result = await feed.Runner.RunAsync(command);
        var text = (result.StandardOutput + result.StandardError).ReplaceLineEndings("\n");
        _outputs.Add(text);
        output.WriteLine($"$ {command}\n{text}");
        Assert.True(result.ExitCode == 0, $"{command} exited {result.ExitCode}:\n{text}");
        return text;
    }

    /// <summary>The adopting repository sees no parameter or CI context of the run that tests it (its tool cache is shared, as on any machine).</summary>
    private static Dictionary<string, string?> OutsideWorld() =>
        Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => (name.StartsWith("SLIPWAY_", StringComparison.Ordinal) && name != "SLIPWAY_TOOL_CACHE") || name.StartsWith("GITHUB_", StringComparison.Ordinal))
            .ToDictionary(name => name, _ => (string?)null);

    private void Commit(string message)
    {
        Git(_repository.Path, "add", "--all");
        Git(_repository.Path, "-c", "user.name=Ledger Team", "-c", "user.email=ledger@example.invalid", "commit", "--quiet", "-m", message);
    }

    private string Git(string workingDirectory, params string[] arguments)
    {
        var result = feed.Runner.RunAsync(new ToolCommand("git", arguments) { WorkingDirectory = workingDirectory, StreamOutput = false, ThrowOnFailure = false }).GetAwaiter().GetResult();
        Assert.True(result.ExitCode == 0, $"git {string.Join(' ', arguments)}: {result.StandardError}");
        return result.StandardOutput;
    }

    private string Read(string path) => File.ReadAllText(_repository.Combine(path.Split('/')));

    private static void CopyFixture(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static void AssertNamesNeither(byte[] content, string where, params string[] needles)
    {
        foreach (var needle in needles)
        {
            foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode })
            {
                var text = encoding.GetString(content);
                Assert.False(text.Contains(needle, StringComparison.OrdinalIgnoreCase), $"{where} contains '{needle}' ({encoding.WebName}).");
            }
        }
    }

    /// <summary>The source paths in the assembly's embedded portable PDB.</summary>
    private static List<string> PdbDocuments(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        var embedded = pe.ReadDebugDirectory().Single(entry => entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        using var provider = pe.ReadEmbeddedPortablePdbDebugDirectoryData(embedded);
        var pdb = provider.GetMetadataReader();
        return [.. pdb.Documents.Select(handle => pdb.GetString(pdb.GetDocument(handle).Name))];
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Text(ZipArchiveEntry entry) => Encoding.UTF8.GetString(Bytes(entry));
}
