using Slipway.Logging;
using Slipway.Processes;
using Slipway.Release.Tools;

namespace Slipway.Release.Manifests;

/// <summary>
/// A second opinion from kubeconform (the OpenAPI schemas of a given Kubernetes version) where it is installed;
/// the typed validation does not depend on it.
/// </summary>
public sealed class KubeconformCheck(IProcessRunner runner, IBuildLog log, string? executable)
{
    public static KubeconformCheck FromPath(IProcessRunner runner, IBuildLog log) =>
        new(runner, log, ExecutableSearch.FindOnPath("kubeconform"));

    public async Task<IReadOnlyList<ManifestProblem>> RunIfAvailableAsync(
        string renderedYaml, string sourceName, Version? kubeVersion, CancellationToken cancellationToken = default)
    {
        if (executable is null)
        {
            log.Debug("kubeconform is not on PATH; skipping its schema check (the typed validation still ran)");
            return [];
        }

        List<string> arguments = ["-strict", "-output", "text"];
        if (kubeVersion is not null)
            arguments.AddRange(["-kubernetes-version", $"{kubeVersion.Major}.{kubeVersion.Minor}.0"]);
        arguments.Add("-");
        var command = new ToolCommand(executable, arguments)
        {
            StandardInput = renderedYaml,
            StreamOutput = false,
            ThrowOnFailure = false,
            Timeout = TimeSpan.FromMinutes(2),
        };
        var result = await runner.RunAsync(command, cancellationToken);
        if (result.Succeeded)
            return [];

        var lines = (result.StandardOutput + "\n" + result.StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. lines.Select(line => new ManifestProblem(sourceName, 0, "(kubeconform)", null, line))];
    }
}
