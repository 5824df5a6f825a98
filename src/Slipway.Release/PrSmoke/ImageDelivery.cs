using Slipway.Logging;
using Slipway.Release.Helm;
using Slipway.Release.Kubernetes;
using Slipway.Release.Oci;

namespace Slipway.Release.PrSmoke;

/// <summary>
/// Makes the built image pullable by the cluster: into a kind cluster as an archive, or into the registry the cluster
/// pulls from under the PR's tag. Either way the chart deploys <c>repository@digest</c>; this first proves that every
/// image the render names in that repository is exactly that reference.
/// </summary>
public sealed class ImageDelivery(IBuildLog log)
{
    /// <summary><c>pr-&lt;n&gt;-&lt;sha7&gt;</c>; <c>local-&lt;sha7&gt;</c> outside a pull request. Never <c>latest</c>.</summary>
    public static string PrTag(int? pullRequest, string shortSha) =>
        pullRequest is { } number ? $"pr-{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{shortSha}" : $"local-{shortSha}";

    /// <summary>The render's images in the pinned repository must all be the pinned reference; one that is not would deploy another image.</summary>
    /// <exception cref="PrSmokeException">A rendered image names the repository with another tag or digest, or none names it at all.</exception>
    public static void ProveRendered(RenderedRelease render, ImagePin pin)
    {
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(pin);
        var ours = render.Images.Where(image => image.Image.StartsWith(pin.Repository + "@", StringComparison.Ordinal) || image.Image.StartsWith(pin.Repository + ":", StringComparison.Ordinal)).ToList();
        if (ours.Count == 0)
            throw new PrSmokeException($"The stamped chart renders no image of {pin.Repository} (it renders {string.Join(", ", render.Images.Select(image => $"{image.Image} at {image.Where}"))}): the chart does not deploy the image this run built.");
        var wrong = ours.FirstOrDefault(image => image.Image != pin.ToString());
        if (wrong != default)
            throw new PrSmokeException($"{wrong.Where} renders {wrong.Image}, not the built {pin}: the cluster would run another image.");
    }

    /// <summary>Writes the archive naming the image <c>repository@digest</c> (and by its PR tag) and loads it into every node of the cluster.</summary>
    public async Task<string> LoadIntoKindAsync(IKindCli kind, string cluster, IImageSource source, ImagePin pin, string prTag, string archivePath, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(pin);
        var archived = await OciImageArchive.WriteAsync(source, pin.Digest, [pin.ToString(), $"{pin.Repository}:{prTag}"], archivePath, cancellationToken);
        var names = await OciImageArchive.NamesAsync(archivePath, cancellationToken);
        if (!names.Contains((pin.ToString(), pin.Digest)))
            throw new PrSmokeException($"{archivePath} names the image {string.Join(", ", names.Select(name => name.Name))}, not {pin}.");
        log.Info($"Image archive {Path.GetFileName(archivePath)} ({archived.Bytes / (1024 * 1024)} MiB): containerd will store {string.Join(" and ", names.Select(name => name.Name))} -> {pin.Digest}, the reference the chart renders");
        await kind.LoadImageArchiveAsync(cluster, archivePath, cancellationToken);
        return $"loaded into kind cluster {cluster} as {pin} (the rendered reference) and {pin.Repository}:{prTag}";
    }

    /// <summary>Tags the pushed image in its registry with the PR tag (the same manifest bytes, so the digest cannot change).</summary>
    public async Task<string> PushPrTagAsync(OciRegistryClient client, ImagePin pin, string prTag, RegistryCredentials? credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(pin);
        var found = await client.ResolveManifestAsync(OciReference.Parse(pin.ToString()), credentials, cancellationToken) as ManifestResolution.Found
            ?? throw new PrSmokeException($"{pin} is not in its registry: the cluster could not pull it.");
        var tagged = OciReference.Parse($"{pin.Repository}:{prTag}");
        var digest = await client.PushManifestAsync(tagged, found.Content, found.MediaType, credentials, cancellationToken);
        if (digest != pin.Digest)
            throw new PrSmokeException($"Tagging {tagged} gave {digest}, not {pin.Digest}.");
        log.Info($"Tagged {tagged} = {digest} for the cluster to pull");
        return $"pushed as {tagged} ({digest}); the chart deploys {pin}";
    }
}
