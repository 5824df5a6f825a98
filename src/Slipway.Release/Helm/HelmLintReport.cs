using Slipway.Logging;

namespace Slipway.Release.Helm;

/// <summary>
/// A passing <c>helm lint</c> as one line: "passed", with its findings (<c>[INFO] Chart.yaml: icon is recommended</c>)
/// folded in; helm's whole output goes to the build log at debug level. A failing lint is reported by its exception.
/// </summary>
public static class HelmLintReport
{
    public static string Summary(string what, string lintOutput)
    {
        ArgumentNullException.ThrowIfNull(lintOutput);
        var findings = lintOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('['))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return findings.Count == 0 ? $"{what}: passed" : $"{what}: passed ({string.Join("; ", findings)})";
    }

    public static void Log(IBuildLog log, string what, string lintOutput)
    {
        ArgumentNullException.ThrowIfNull(log);
        foreach (var line in lintOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            log.Debug(line.TrimEnd());
        log.Info(Summary(what, lintOutput));
    }
}
