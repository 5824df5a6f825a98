using Slipway.Processes;
using Slipway.Release.Tools;
using Slipway.Secrets;

namespace Slipway.Release.Tests.Publishing;

/// <summary>
/// A throwaway repository that publishes Beacon as this repository does (its service, its chart, a build adopting
/// IContainerRelease), committed and compiled once, so each test's <c>./build.sh Publish</c> is the build alone. Its helm is the
/// real one behind a wrapper that, while the test holds it, waits before or right after a <c>helm push</c>, so a signal can land
/// inside ChartPush with the chart not yet or already in the registry.
/// </summary>
public sealed class PublishProcessFixture : IAsyncLifetime
{
    private static readonly string BuildSource = PublishWorkspace.BeaconBuild("IContainerRelease", "x.From<IRelease>().Publish");

    private readonly TempDirectory _helm = new();

    internal PublishWorkspace Workspace { get; } = new(withService: true);

    /// <summary>The wrapper to pass as <c>--helm</c>.</summary>
    public string Helm => _helm.Combine("helm");

    /// <summary>While this file exists, a <c>helm push</c> touches <see cref="PushHeld"/> and sleeps before it runs.</summary>
    public string HoldPush => _helm.Combine("hold-push");

    /// <summary>While this file exists, a <c>helm push</c> runs, then touches <see cref="PushHeld"/> and sleeps: the chart is in the registry, ChartPush not done.</summary>
    public string HoldAfterPush => _helm.Combine("hold-after-push");

    public string PushHeld => _helm.Combine("push-held");

    public async Task InitializeAsync()
    {
        var log = new RecordingLog();
        var helm = await TestTools.ResolveAsync(PinnedTools.Helm, new ProcessRunner(log, new SecretRegistry()), log);
        await File.WriteAllTextAsync(Helm, $"""
            #!/bin/sh
            if [ "$1" = push ] && [ -e '{HoldPush}' ]; then touch '{PushHeld}'; sleep 300; fi
            if [ "$1" = push ] && [ -e '{HoldAfterPush}' ]; then '{helm.Path}' "$@" || exit $?; touch '{PushHeld}'; sleep 300; exit 0; fi
            exec '{helm.Path}' "$@"
            """);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Helm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        Workspace.CommitBuild(BuildSource);
        var (exitCode, output) = await BuildProcess.RunAsync(Workspace.Root, null, TimeSpan.FromMinutes(4), "--help");
        if (exitCode != 0)
            throw new InvalidOperationException($"The publish build did not compile:\n{output}");
    }

    public Task DisposeAsync()
    {
        Workspace.Dispose();
        _helm.Dispose();
        return Task.CompletedTask;
    }

    /// <summary><c>./build.sh</c> with <paramref name="temporaryDirectory"/> as its TMPDIR, so the test sees everything the run leaves there.</summary>
    internal BuildProcess Start(string temporaryDirectory, params string[] args) =>
        BuildProcess.Start(Workspace.Root, new Dictionary<string, string> { ["TMPDIR"] = temporaryDirectory }, args);

    /// <summary>The run's id, from the name of its temp root (<c>slipway-build-&lt;id&gt;</c>) in <paramref name="temporaryDirectory"/>.</summary>
    internal static string RunId(string temporaryDirectory) =>
        Path.GetFileName(Assert.Single(Directory.GetDirectories(temporaryDirectory, "slipway-build-*")))["slipway-build-".Length..];
}
