namespace Slipway.Release.Tools;

/// <summary>Where provisioned tools live: one folder per tool and version, shared by every repository on the machine.</summary>
public sealed class ToolCache(string root)
{
    /// <summary>The cache this process's environment names; components take theirs from <see cref="IPinnedTools.ToolCache"/>.</summary>
    public static ToolCache Default { get; } = FromEnvironment(Environment.GetEnvironmentVariable);

    public string Root { get; } = root;

    public string PathFor(string tool, string version) => Path.Combine(Root, tool, version);

    /// <summary><c>SLIPWAY_TOOL_CACHE</c>, else <c>$XDG_CACHE_HOME/slipway/tools</c>, else <c>~/.cache/slipway/tools</c>.</summary>
    public static ToolCache FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var configured = variable("SLIPWAY_TOOL_CACHE");
        if (!string.IsNullOrWhiteSpace(configured))
            return new ToolCache(configured);
        var cacheHome = variable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(cacheHome))
            cacheHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return new ToolCache(Path.Combine(cacheHome, "slipway", "tools"));
    }
}
