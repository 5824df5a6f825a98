using Slipway.Release.Containers;
using Slipway.Release.Oci;

namespace Slipway.Release.Tests.Support;

internal static class ReleaseTags
{
    /// <summary>
    /// A repository's tags that a consumer could take for a release: every tag but a clean build's inputs tag
    /// (<see cref="ImageReuse.InputsTag"/>), a build cache that names no version.
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListReleaseTagsAsync(this OciRegistryClient client, string registry, string repository, RegistryCredentials? credentials = null) =>
        [.. (await client.ListTagsAsync(registry, repository, credentials)).Where(tag => !tag.StartsWith(ImageReuse.InputsTagPrefix, StringComparison.Ordinal))];
}
