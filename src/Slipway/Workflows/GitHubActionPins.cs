namespace Slipway.Workflows;

/// <summary>
/// GitHub's own actions, each pinned by the commit its release tag points at. Every sha was read from the action's own
/// repository with <c>git rev-parse &lt;tag&gt;^{commit}</c> (2026-12-01); to move one, do the same for the new tag and
/// regenerate the workflows.
/// </summary>
public static class GitHubActionPins
{
    public static PinnedAction Checkout { get; } = new("actions/checkout", "3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1");

    public static PinnedAction SetupDotNet { get; } = new("actions/setup-dotnet", "a98b56852c35b8e3190ac28c8c2271da59106c68", "v6.0.0");

    public static PinnedAction Cache { get; } = new("actions/cache", "27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5");

    public static PinnedAction UploadArtifact { get; } = new("actions/upload-artifact", "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0");

    public static PinnedAction DownloadArtifact { get; } = new("actions/download-artifact", "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1");
}
