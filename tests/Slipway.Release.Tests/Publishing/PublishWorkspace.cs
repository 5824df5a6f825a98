using System.Diagnostics;

namespace Slipway.Release.Tests.Publishing;

/// <summary>A throwaway repository: .nuke/, a copy of the shipped chart, and one git commit with a fixed date, so versions are reproducible.</summary>
internal sealed class PublishWorkspace : IDisposable
{
    /// <param name="withService">Also copy the service and the files its build reads, to publish its image.</param>
    public PublishWorkspace(bool withService = false)
    {
        Root = Directory.CreateTempSubdirectory("slipway-publish-").FullName;
        Directory.CreateDirectory(System.IO.Path.Combine(Root, ".nuke"));
        Repository.CopyDirectory(Repository.ShippedChart, ChartDirectory);
        if (withService)
        {
            Repository.CopyDirectory(System.IO.Path.Combine(Repository.Root, "src", "Beacon"), System.IO.Path.Combine(Root, "src", "Beacon"));
            foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", "global.json" })
                File.Copy(System.IO.Path.Combine(Repository.Root, file), System.IO.Path.Combine(Root, file));
        }

        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        Git("commit", "-q", "-m", "chart");
    }

    public string Root { get; }

    public string ChartDirectory => System.IO.Path.Combine(Root, "charts", "beacon");

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in new[] { ("GIT_AUTHOR_NAME", "Test"), ("GIT_AUTHOR_EMAIL", "test@example.invalid"), ("GIT_COMMITTER_NAME", "Test"), ("GIT_COMMITTER_EMAIL", "test@example.invalid"), ("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z"), ("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z") })
            start.Environment[name] = value;
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd() + git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {output}");
        return output;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
