namespace Slipway.Release.Tools;

/// <summary>Where provisioned tools live: one folder per tool and version, shared by every repository on the machine.</summary>
public sealed class ToolCache(string root)
{
    public static ToolCache Default { get; } = new(DefaultRoot());

    public string Root { get; } = root;

    public string PathFor(string tool, string version) => Path.Combine(Root, tool, version);

    private static string DefaultRoot()
    {
        var configured = Environment.GetEnvironmentVariable("SLIPWAY_TOOL_CACHE");
        if (!string.IsNullOrWhiteSpace(configured))
            return configured;
        var cacheHome = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cacheHome))
            cacheHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cacheHome, "slipway", "tools");
    }
}
