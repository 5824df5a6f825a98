namespace Slipway.Release.Oci;

public static class OciMediaTypes
{
    public const string ImageManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string ImageIndex = "application/vnd.oci.image.index.v1+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";

    /// <summary>Everything a manifest GET accepts; without these a registry may answer with an old schema or 404.</summary>
    public static IReadOnlyList<string> Manifests { get; } = [ImageManifest, ImageIndex, DockerManifest, DockerManifestList];
}
