using Slipway.Release.Tools;

namespace Slipway.Release.Tests.Helm;

/// <summary>
/// The real helm for integration tests: <c>SLIPWAY_HELM</c>, else the tool cache's helm 3.10.1, else helm on PATH.
/// Once the helm provisioner is on this branch, it should resolve (and provision) helm instead.
/// </summary>
internal static class TestHelm
{
    public static string Executable { get; } = Find();

    private static string Find()
    {
        var configured = Environment.GetEnvironmentVariable("SLIPWAY_HELM");
        if (!string.IsNullOrWhiteSpace(configured))
            return configured;
        var cached = Path.Combine(ToolCache.Default.PathFor("helm", "3.10.1"), "helm");
        if (File.Exists(cached))
            return cached;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "helm"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException(
            $"No helm for the integration tests: set SLIPWAY_HELM, put helm 3.10.1 at {cached}, or put helm on PATH.");
    }
}
