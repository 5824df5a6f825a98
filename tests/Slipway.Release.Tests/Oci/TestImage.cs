using System.Text;
using System.Text.Json;
using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Oci;

/// <summary>A minimal OCI image (one config blob, one layer blob, a manifest) pushed with the client under test.</summary>
internal static class TestImage
{
    public static async Task<string> PushAsync(OciRegistryClient client, OciReference reference, RegistryCredentials? credentials = null)
    {
        var config = Encoding.UTF8.GetBytes("{}");
        var layer = Encoding.UTF8.GetBytes("a layer for " + reference);
        var configDigest = await client.PushBlobAsync(reference.Registry, reference.Repository, config, credentials);
        var layerDigest = await client.PushBlobAsync(reference.Registry, reference.Repository, layer, credentials);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            schemaVersion = 2,
            mediaType = OciMediaTypes.ImageManifest,
            config = new { mediaType = "application/vnd.oci.image.config.v1+json", digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType = "application/vnd.oci.image.layer.v1.tar", digest = layerDigest, size = layer.Length } },
        });
        return await client.PushManifestAsync(reference, manifest, OciMediaTypes.ImageManifest, credentials);
    }
}
