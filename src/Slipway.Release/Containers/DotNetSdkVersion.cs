using Slipway.Processes;

namespace Slipway.Release.Containers;

/// <summary><see cref="ISdkVersion"/> from <c>dotnet --version</c> run in the folder (the muxer answers it, global.json applied).</summary>
public sealed class DotNetSdkVersion(IProcessRunner runner) : ISdkVersion
{
    public async Task<string> VersionAsync(string directory, CancellationToken cancellationToken = default) =>
        (await runner.RunAsync(
            new ToolCommand("dotnet", "--version")
            {
                WorkingDirectory = directory,
                StreamOutput = false,
                Environment = new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            },
            cancellationToken)).StandardOutput.Trim();
}
