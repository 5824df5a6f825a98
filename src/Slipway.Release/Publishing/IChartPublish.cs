using System.Security.Cryptography;
using System.Text.Json;
using Slipway.Release.Helm;
using Slipway.Release.Oci;
using Slipway.Release.Registry;
using Slipway.Release.Versioning;
using PackagedChart = Slipway.Release.Helm.ChartPackage;

namespace Slipway.Release.Publishing;

/// <summary>The chart as the registry holds it after the push: reference by version, manifest digest read back from the registry.</summary>
public sealed record PublishedChart(OciReference Reference, string Digest, bool AlreadyPublished);

/// <summary>What an anonymous client saw.</summary>
public sealed record AnonymousPull(string Detail);

/// <summary>Stamp, package, push and verify a chart: nothing is pushed before every chart gate has passed.</summary>
public interface IChartPublish : IChartGates, IVersioning, IPublishRegistry
{
    const string ChartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";

    string ChartsDirectory => Path.Combine(RootDirectory, "artifacts", "charts");

    /// <summary>The image the stamped chart pins by digest; null when the build publishes no image.</summary>
    ImagePin? ChartImage => null;

    /// <summary>Images that must be pullable anonymously too, with the digest they must resolve to.</summary>
    IEnumerable<(OciReference Reference, string Digest)> PublicImages => [];

    Target ChartPackage => _ => _
        .Description("Stamp a staging copy (version, quoted appVersion, image by digest), lint it, package it reproducibly to artifacts/charts/")
        .DependsOn(Version)
        .Produces(async ct =>
        {
            var version = ResultOf<ReleaseVersion>(Version);
            var staging = Path.Combine(RootDirectory, ".nuke", "temp", "staging", Path.GetFileName(ChartPath));
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            var staged = ChartStager.Stage(ChartPath, staging, new ChartStamp(version.Version, version.Version.ToString(), ChartImage));
            Log.Info($"Staged {staged.Name} {staged.Version} (appVersion \"{staged.AppVersion}\"{(staged.Image is null ? string.Empty : $", image {staged.Image}")}) in {Path.GetRelativePath(RootDirectory, staged.Directory)}");

            var helm = await HelmAsync(ct);
            await helm.LintAsync(staged.Directory, [], strict: true, ct);
            var package = await ReproducibleChartPackage.PackageAsync(Processes, helm.Tool.Path, staged.Directory, ChartsDirectory, version.Git.CommitTime, ct);
            Log.Info($"Packaged {Path.GetRelativePath(RootDirectory, package.Path)} ({package.Digest}, reproducible: mtimes are the commit time)");
            return package;
        });

    Target ChartPush => _ => _
        .Description("Preflight the registry, push the chart to oci://<registry>/charts, and read its digest back from the registry")
        .DependsOn<IChartGates>()
        .DependsOn(ChartPackage, PublishRegistry)
        .Produces(async ct =>
        {
            var destination = ResultOf<PublishDestination>(PublishRegistry);
            var chart = ResultOf<PackagedChart>(ChartPackage);
            var reference = destination.Reference($"charts/{chart.ChartName}", chart.ChartVersion);
            var client = RegistryClient;

            await PreflightAsync(client, destination, ct);
            switch (await client.ResolveManifestAsync(reference, destination.Credentials, ct))
            {
                case ManifestResolution.Found existing when ChartLayerDigest(existing.Content) == chart.Digest:
                    Log.Info($"{reference} is already published with the same content ({existing.Digest}): nothing to push.");
                    Host.SetOutput("chart-digest", existing.Digest);
                    return new PublishedChart(reference, existing.Digest, AlreadyPublished: true);
                case ManifestResolution.Found existing:
                    throw new InvalidOperationException(
                        $"Refusing to overwrite {reference}: it is already published with different content. " +
                        $"The registry has chart {ChartLayerDigest(existing.Content)} (manifest {existing.Digest}); this build made {chart.Digest}. " +
                        "A published version is immutable: commit, so the version changes, and publish again.");
                case ManifestResolution.Unauthorized denied:
                    throw new InvalidOperationException($"The registry refused to show whether {reference} exists: {denied.Message}");
            }

            var helm = await HelmAsync(ct);
            if (destination.Credentials is { } credentials)
                await helm.LoginAsync(destination.Host, credentials.Username, credentials.Password, destination.PlainHttp, ct);
            var pushed = await helm.PushAsync(chart.Path, $"oci://{destination.Registry}/charts", destination.PlainHttp, ct);

            var readBack = await client.ResolveManifestAsync(reference, destination.Credentials, ct) as ManifestResolution.Found
                ?? throw new InvalidOperationException($"helm pushed {reference}, but the registry does not serve it.");
            if (readBack.Digest != pushed.Digest || ChartLayerDigest(readBack.Content) != chart.Digest)
                throw new InvalidOperationException($"The registry serves {reference} as {readBack.Digest} (chart {ChartLayerDigest(readBack.Content)}), but helm pushed {pushed.Digest} (chart {chart.Digest}).");
            Log.Info($"Pushed {reference}@{readBack.Digest} (read back from the registry)");
            Host.SetOutput("chart-digest", readBack.Digest);
            return new PublishedChart(reference, readBack.Digest, AlreadyPublished: false);
        });

    Target VerifyAnonymousPull => _ => _
        .Description("With no credentials at all, fetch the chart by version (following the token challenge) and helm pull it; digests must match")
        .DependsOn(ChartPush)
        .Produces(async ct =>
        {
            var published = ResultOf<PublishedChart>(ChartPush);
            var chart = ResultOf<PackagedChart>(ChartPackage);
            var destination = ResultOf<PublishDestination>(PublishRegistry);

            await VerifyAnonymousAsync(published.Reference, published.Digest, ct);

            // A second, independent check: helm itself, with an empty config home, so no stored login can help it.
            var emptyHome = Directory.CreateTempSubdirectory("slipway-anonymous-helm-");
            try
            {
                var helm = (await HelmAsync(ct)).WithStateDirectory(emptyHome.FullName);
                var pulled = await PullAnonymouslyAsync(helm, destination, chart, published.Reference, Path.Combine(emptyHome.FullName, "pulled"), ct);
                var pulledDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(pulled, ct)));
                if (pulledDigest != chart.Digest)
                    throw new InvalidOperationException($"helm pull (anonymous) of {published.Reference} gave a chart {pulledDigest}, not the pushed {chart.Digest}.");
                Log.Info($"helm pull, anonymous: {chart.ChartName}-{chart.ChartVersion}.tgz matches {chart.Digest}");
            }
            finally
            {
                emptyHome.Delete(recursive: true);
            }

            var images = new List<string>();
            foreach (var (reference, digest) in PublicImages)
            {
                await VerifyAnonymousAsync(reference, digest, ct);
                images.Add($"{reference} ({digest})");
            }

            var imageDetail = images.Count == 0 ? string.Empty : $"; image {string.Join(", ", images)} through the registry API";
            return new AnonymousPull($"{published.Reference} pulled anonymously through the registry API ({published.Digest}) and helm pull ({chart.Digest}){imageDetail}");
        });

    private async Task VerifyAnonymousAsync(OciReference reference, string digest, CancellationToken cancellationToken)
    {
        switch (await RegistryClient.ResolveManifestAsync(reference, credentials: null, cancellationToken))
        {
            case ManifestResolution.Found found when found.Digest == digest:
                Log.Info($"Registry API, anonymous: {reference} resolves to {found.Digest}");
                break;
            case ManifestResolution.Found found:
                throw new InvalidOperationException($"Anonymous pull of {reference} gives {found.Digest}, not the pushed {digest}.");
            case ManifestResolution.Unauthorized denied:
                throw new InvalidOperationException(NotPubliclyPullable(reference, denied.Message));
            case ManifestResolution.NotFound missing:
                throw new InvalidOperationException($"Anonymous pull of {reference} found nothing: {missing.Message}");
        }
    }

    private async Task PreflightAsync(OciRegistryClient client, PublishDestination destination, CancellationToken cancellationToken)
    {
        var reachable = await client.CheckReachableAsync(destination.Host, cancellationToken);
        if (!reachable.Succeeded)
            throw new InvalidOperationException($"Registry {destination.Host} is not reachable: {reachable.Message}");
        if (destination.Credentials is { } credentials)
        {
            var accepted = await client.CheckCredentialsAsync(destination.Host, credentials, cancellationToken);
            if (!accepted.Succeeded)
                throw new InvalidOperationException($"Registry {destination.Host} refused the credentials of '{credentials.Username}': {accepted.Message}");
        }

        Log.Info($"Preflight: {destination.Host} reachable{(destination.Credentials is null ? string.Empty : ", credentials accepted")}");
    }

    private static async Task<string> PullAnonymouslyAsync(
        HelmCli helm, PublishDestination destination, PackagedChart chart, OciReference reference, string directory, CancellationToken cancellationToken)
    {
        try
        {
            return await helm.PullAsync($"oci://{destination.Registry}/charts/{chart.ChartName}", chart.ChartVersion, directory, destination.PlainHttp, cancellationToken);
        }
        catch (HelmException refused) when (refused.Message.Contains("401", StringComparison.Ordinal) || refused.Message.Contains("403", StringComparison.Ordinal)
            || refused.Message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase) || refused.Message.Contains("denied", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(NotPubliclyPullable(reference, refused.Message));
        }
    }

    private static string NotPubliclyPullable(OciReference reference, string detail) =>
        $"{reference} is not publicly pullable ({detail}). Next step: make the package public " +
        "(GHCR: the package's settings, Danger Zone, Change visibility, Public), then publish again: republishing the same commit is a no-op.";

    private static string? ChartLayerDigest(byte[] manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        if (!document.RootElement.TryGetProperty("layers", out var layers))
            return null;
        return layers.EnumerateArray()
            .Where(layer => layer.TryGetProperty("mediaType", out var type) && type.GetString() == ChartLayerMediaType)
            .Select(layer => layer.GetProperty("digest").GetString())
            .FirstOrDefault();
    }
}
