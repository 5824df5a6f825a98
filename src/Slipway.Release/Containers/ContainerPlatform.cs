namespace Slipway.Release.Containers;

/// <summary>
/// An image platform as OCI writes it (<c>linux/amd64</c>, <c>linux/arm64</c>), with the names other tools use for it:
/// the .NET runtime identifier and the Debian architecture.
/// </summary>
public sealed record ContainerPlatform
{
    public static readonly ContainerPlatform LinuxAmd64 = new("amd64", variant: null, "linux-x64", "amd64");
    public static readonly ContainerPlatform LinuxArm64 = new("arm64", "v8", "linux-arm64", "arm64");

    private ContainerPlatform(string architecture, string? variant, string runtimeIdentifier, string debianArchitecture)
    {
        Architecture = architecture;
        Variant = variant;
        RuntimeIdentifier = runtimeIdentifier;
        DebianArchitecture = debianArchitecture;
    }

    /// <summary>Both platforms, in the order an index lists them.</summary>
    public static IReadOnlyList<ContainerPlatform> Default { get; } = [LinuxAmd64, LinuxArm64];

    public static IReadOnlyList<ContainerPlatform> Supported => Default;

    public string Os => "linux";

    /// <summary>The OCI <c>architecture</c> (GOARCH spelling).</summary>
    public string Architecture { get; }

    /// <summary>The OCI <c>variant</c>, when the architecture has one by convention (arm64 is <c>v8</c>).</summary>
    public string? Variant { get; }

    /// <summary>What <c>dotnet publish -r</c> and <c>ContainerRuntimeIdentifiers</c> take.</summary>
    public string RuntimeIdentifier { get; }

    /// <summary>What <c>APT::Architecture</c> takes.</summary>
    public string DebianArchitecture { get; }

    /// <summary>Parses <c>linux/amd64</c>, <c>linux/arm64</c> (also <c>linux/arm64/v8</c>) or a runtime identifier.</summary>
    public static ContainerPlatform Parse(string text)
    {
        var trimmed = text.Trim().ToLowerInvariant();
        return trimmed switch
        {
            "linux/amd64" or "linux-x64" => LinuxAmd64,
            "linux/arm64" or "linux/arm64/v8" or "linux-arm64" => LinuxArm64,
            _ => throw new FormatException(
                $"Unsupported platform '{text}'; supported: {string.Join(", ", Supported)} (or their runtime identifiers {string.Join(", ", Supported.Select(platform => platform.RuntimeIdentifier))})."),
        };
    }

    /// <summary>Parses a comma-separated list such as <c>linux/amd64,linux/arm64</c>, without duplicates.</summary>
    public static IReadOnlyList<ContainerPlatform> ParseList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).Distinct()];

    /// <summary>Matches an index entry's <c>platform</c> (the variant is optional there).</summary>
    public bool Matches(string os, string architecture) => os == Os && architecture == Architecture;

    public override string ToString() => $"{Os}/{Architecture}";
}
