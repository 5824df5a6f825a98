namespace Slipway.Release.Tools;

/// <summary>A tool the user named explicitly (a path, or a name looked up on PATH) and where that was said, for messages.</summary>
/// <param name="Origin">How the user said it, e.g. <c>--helm (SLIPWAY_HELM)</c>.</param>
public sealed record ToolRequest(string Value, string Origin);
