using Slipway.Logging;
using Slipway.Processes;

namespace Slipway.Tool.Setup;

/// <summary>
/// <c>slipway setup</c>: finds the repository's facts, writes setup's files, then runs the new build itself for what it
/// generates (<c>UpdateBuildSchema</c>: .nuke/build.schema.json; <c>GenerateWorkflows</c>: .github/workflows), so there is one
/// generator and the first compile and restore happen here, where a problem is reported at once.
/// </summary>
public sealed class SetupRun(IProcessRunner runner, IBuildLog log)
{
    public static readonly string[] GeneratingTargets = ["UpdateBuildSchema", "GenerateWorkflows"];

    /// <param name="slipwayVersion">The Slipway.Release version the build project references: this tool's own.</param>
    /// <returns>The exit code: 0, or the build's when its first run failed.</returns>
    /// <exception cref="SetupException">Something setup needs could not be found; nothing was written.</exception>
    public async Task<int> RunAsync(string workingDirectory, SetupOptions options, string slipwayVersion, CancellationToken cancellationToken = default)
    {
        var facts = await new RepositoryScan(runner).ScanAsync(workingDirectory, options, cancellationToken);
        log.Info($"Repository {facts.Root}: service {facts.ServiceProject}, chart {facts.Chart}{(facts.ChartNamed ? string.Empty : " (the only one under charts/)")}, " +
            $".NET SDK {facts.Sdk.Major}.{facts.Sdk.Minor}.{facts.Sdk.Patch} ({facts.Sdk.TargetFramework}), {SetupFiles.PackageId} {slipwayVersion}.");

        var changes = new SetupWriter(facts.Root).Apply(SetupFiles.For(facts, options, slipwayVersion), options.Force);
        foreach (var change in changes)
        {
            if (change.Action == FileAction.Kept)
                log.Warning(change.ToString());
            else
                log.Info(change.ToString());
        }

        var build = OperatingSystem.IsWindows()
            ? new ToolCommand("cmd.exe", ["/c", "build.cmd", .. GeneratingTargets])
            : new ToolCommand("bash", ["build.sh", .. GeneratingTargets]);
        var run = await runner.RunAsync(build with { WorkingDirectory = facts.Root, ThrowOnFailure = false }, cancellationToken);
        if (!run.Succeeded)
        {
            log.Error($"The new build failed (exit {run.ExitCode}) running {string.Join(" and ", GeneratingTargets)}: see its output above. Fix the cause, then run slipway setup again (it changes nothing that is already right).");
            return run.ExitCode;
        }

        log.Info($"Done: {Summary(changes)}. Next: ./build.sh Ci (every gate), ./build.sh Publish (the release; an embedded registry unless --registry), " +
            "then commit build.sh, build.cmd, global.json, build/, .nuke/ (not .nuke/temp), .github/workflows and .gitignore.");
        return 0;
    }

    private static string Summary(IReadOnlyList<FileChange> changes) =>
        string.Join(", ", changes.GroupBy(change => change.Action).OrderBy(group => group.Key).Select(group => $"{group.Count()} {group.Key.ToString().ToLowerInvariant()}"));
}
