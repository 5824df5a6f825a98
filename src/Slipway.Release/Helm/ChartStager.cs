using System.Text.RegularExpressions;
using Slipway.Release.Oci;
using Slipway.Release.Versioning;
using YamlDotNet.RepresentationModel;

namespace Slipway.Release.Helm;

/// <summary>The image a chart deploys, pinned by digest: <c>repository</c> has no tag or digest of its own.</summary>
public sealed partial record ImagePin
{
    public ImagePin(string repository, string digest)
    {
        if (!DigestPattern().IsMatch(digest ?? string.Empty))
            throw new ArgumentException($"Image digest '{digest}' is not sha256:<64 lowercase hex>.", nameof(digest));
        if (!OciReference.TryParse($"{repository}@{digest}", out var reference, out var error) || reference.Tag is not null)
            throw new ArgumentException(
                $"Image repository '{repository}' is not a fully qualified repository without tag or digest (host[:port]/path). {error}".TrimEnd(), nameof(repository));
        Repository = repository;
        Digest = digest!;
    }

    public string Repository { get; }

    public string Digest { get; }

    public override string ToString() => $"{Repository}@{Digest}";

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}

/// <summary>Where in values.yaml the image is pinned: dotted paths of block mappings.</summary>
/// <param name="Tag">When set, this key is emptied, so a chart that prefers a tag over a digest cannot deploy another image.</param>
public sealed record ImageValuesPaths(string Repository = "image.repository", string Digest = "image.digest", string? Tag = null)
{
    public static ImageValuesPaths Default { get; } = new();
}

/// <summary>What goes into the staging copy: chart version, app version and, optionally, the image pinned by digest.</summary>
public sealed partial record ChartStamp
{
    public ChartStamp(SemanticVersion version, string appVersion, ImagePin? image = null, ImageValuesPaths? imagePaths = null)
    {
        Version = version ?? throw new ArgumentNullException(nameof(version));
        AppVersion = AppVersionPattern().IsMatch(appVersion ?? string.Empty)
            ? appVersion!
            : throw new ArgumentException($"App version '{appVersion}' must be 1-128 of [A-Za-z0-9._+-].", nameof(appVersion));
        Image = image;
        ImagePaths = imagePaths ?? ImageValuesPaths.Default;
    }

    public SemanticVersion Version { get; }

    public string AppVersion { get; }

    public ImagePin? Image { get; }

    public ImageValuesPaths ImagePaths { get; }

    [GeneratedRegex("^[A-Za-z0-9._+-]{1,128}$")]
    private static partial Regex AppVersionPattern();
}

/// <summary>A stamped copy of a chart, ready to lint, package and push.</summary>
public sealed record StagedChart(string Directory, string Name, SemanticVersion Version, string AppVersion, ImagePin? Image);

public sealed class ChartStagingException(string message) : Exception(message);

/// <summary>
/// Copies a chart into a staging directory and stamps the copy; the source chart (the working tree) is never written.
/// Edits are line-based, so the chart author's comments and layout survive, and each edit is checked by parsing the
/// result back.
/// </summary>
public static class ChartStager
{
    /// <param name="sourceChartDirectory">The chart as committed: a directory with Chart.yaml.</param>
    /// <param name="stagingDirectory">Where the copy goes; must not exist yet or be empty, and must lie outside the source.</param>
    public static StagedChart Stage(string sourceChartDirectory, string stagingDirectory, ChartStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        var source = Path.GetFullPath(sourceChartDirectory);
        var staging = Path.GetFullPath(stagingDirectory);
        var chartFile = Path.Combine(source, "Chart.yaml");
        if (!File.Exists(chartFile))
            throw new ChartStagingException($"'{source}' is not a chart: it has no Chart.yaml.");
        if (IsSameOrInside(staging, source) || IsSameOrInside(source, staging))
            throw new ChartStagingException($"Staging directory '{staging}' overlaps the chart '{source}'; stage outside the working tree's chart.");
        if (Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any())
            throw new ChartStagingException($"Staging directory '{staging}' is not empty; give a fresh directory.");
        if (stamp.Image is not null && !File.Exists(Path.Combine(source, "values.yaml")))
            throw new ChartStagingException($"Chart '{source}' has no values.yaml to pin the image in.");

        Copy(source, staging);

        var chartYaml = new YamlLineEditor(File.ReadAllText(Path.Combine(staging, "Chart.yaml")), "Chart.yaml");
        chartYaml.Set("version", stamp.Version.ToString(), quote: false);
        if (chartYaml.Contains("appVersion"))
            chartYaml.Set("appVersion", stamp.AppVersion, quote: true);
        else
            chartYaml.InsertTopLevelAfter("version", "appVersion", stamp.AppVersion, quote: true);
        var chartText = chartYaml.ToString();
        var name = Verify(chartText, "Chart.yaml", [("version", stamp.Version.ToString()), ("appVersion", stamp.AppVersion)]);
        File.WriteAllText(Path.Combine(staging, "Chart.yaml"), chartText);

        if (stamp.Image is { } image)
        {
            var valuesFile = Path.Combine(staging, "values.yaml");
            var values = new YamlLineEditor(File.ReadAllText(valuesFile), "values.yaml");
            var paths = stamp.ImagePaths;
            values.Set(paths.Repository, image.Repository, quote: true);
            values.Set(paths.Digest, image.Digest, quote: true);
            List<(string, string)> expected = [(paths.Repository, image.Repository), (paths.Digest, image.Digest)];
            if (paths.Tag is not null)
            {
                values.Set(paths.Tag, string.Empty, quote: true);
                expected.Add((paths.Tag, string.Empty));
            }

            var valuesText = values.ToString();
            Verify(valuesText, "values.yaml", expected);
            File.WriteAllText(valuesFile, valuesText);
        }

        return new StagedChart(staging, name ?? Path.GetFileName(source), stamp.Version, stamp.AppVersion, stamp.Image);
    }

    private static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
    }

    /// <summary>Parses the edited text and checks every stamped value reads back as written; returns the chart's name, if any.</summary>
    private static string? Verify(string text, string fileName, IEnumerable<(string Path, string Value)> expected)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException exception)
        {
            throw new ChartStagingException($"{fileName} is not valid YAML after stamping: {exception.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ChartStagingException($"{fileName} is not a YAML mapping.");
        foreach (var (path, value) in expected)
        {
            YamlNode? node = root;
            foreach (var segment in path.Split('.'))
                node = node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(segment), out var child) ? child : null;
            if (node is not YamlScalarNode scalar || scalar.Value != value)
                throw new ChartStagingException($"{fileName}: '{path}' does not read back as '{value}' after stamping.");
        }

        return root.Children.TryGetValue(new YamlScalarNode("name"), out var name) && name is YamlScalarNode { Value: { } chartName } ? chartName : null;
    }

    private static bool IsSameOrInside(string path, string directory)
    {
        var relative = Path.GetRelativePath(directory, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
