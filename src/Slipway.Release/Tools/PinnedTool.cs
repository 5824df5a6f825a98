using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Slipway.Processes;

namespace Slipway.Release.Tools;

/// <summary>Versions of a tool that Slipway's adapters drive correctly: at least <see cref="Minimum"/>, below <see cref="Below"/>.</summary>
public sealed record SupportedVersions(Version Minimum, Version? Below = null)
{
    public bool Includes(Version version) => version >= Minimum && (Below is null || version < Below);

    public override string ToString() => Below is null ? $"{Minimum.ToString(3)} or newer" : $"{Minimum.ToString(3)} or newer, below {Below.ToString(2)}";
}

/// <summary>
/// A tool Slipway runs, pinned: the version it provisions, the verified sources it can come from (tried in order), which
/// versions found on PATH or named explicitly are good enough, and how to ask a binary for its version.
/// </summary>
public sealed partial record PinnedTool(string Name, Version Version, IReadOnlyList<ToolSource> Sources)
{
    /// <summary>Versions accepted from PATH or an explicit request; null means only the pinned version is used.</summary>
    public SupportedVersions? Supported { get; init; }

    /// <summary>The executable inside the provisioned folder, relative to it.</summary>
    public string Executable { get; init; } = Name;

    /// <summary>How to ask an executable of this tool for its version.</summary>
    public Func<string, ToolCommand> VersionCommand { get; init; } = executable => new ToolCommand(executable, "version");

    /// <summary>Where the version stands in that command's output: three groups, major, minor and patch.</summary>
    public Regex VersionPattern { get; init; } = DefaultVersionPattern();

    /// <summary>What a person can do when no source works, e.g. where to download the tool.</summary>
    public string InstallHint { get; init; } = string.Empty;

    /// <summary>The sources that apply to this machine.</summary>
    public IEnumerable<ToolSource> ApplicableSources => Sources.Where(source => source.Platform is null || source.Platform == CurrentPlatform());

    /// <summary>This machine as <c>os-arch</c> in Go's naming (<c>linux-amd64</c>), the naming most tools publish under; null elsewhere.</summary>
    public static string? CurrentPlatform()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows" : null;
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            _ => null,
        };
        return os is null || arch is null ? null : $"{os}-{arch}";
    }

    [GeneratedRegex(@"v?(\d+)\.(\d+)\.(\d+)")]
    private static partial Regex DefaultVersionPattern();
}
