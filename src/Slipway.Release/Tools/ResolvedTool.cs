namespace Slipway.Release.Tools;

/// <summary>An external tool ready to run: which binary, which version it reported, and where it came from.</summary>
public sealed record ResolvedTool(string Name, string Path, Version Version, string Source)
{
    public override string ToString() => $"{Name} v{Version.ToString(3)} from {Source} ({Path})";
}
