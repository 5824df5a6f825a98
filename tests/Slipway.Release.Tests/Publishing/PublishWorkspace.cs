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

    /// <summary>
    /// The source of a build adopting <paramref name="component"/> for Beacon as build/Build.Image.cs does (project, the
    /// provenance it bakes in, the smoke endpoints), with <paramref name="defaultTarget"/> (an expression on <c>x</c>) by default.
    /// </summary>
    public static string BeaconBuild(string component, string defaultTarget) => $$""""
        using System.Globalization;
        using Slipway;
        using Slipway.Release.Containers;
        using Slipway.Release.PrSmoke;
        using Slipway.Release.Publishing;
        using Slipway.Release.Smoke;
        using Slipway.Release.Versioning;

        class Build : SlipwayBuild, {{component}}
        {
            public static int Main(string[] args) => Execute<Build>(args, x => {{defaultTarget}});

            string IContainerImage.ImageProject => "src/Beacon/Beacon.csproj";

            IReadOnlyDictionary<string, string> IContainerImage.ImageBuildProperties(ReleaseVersion version) => new Dictionary<string, string>
            {
                ["BeaconVersion"] = version.Version.ToString(),
                ["BeaconGitSha"] = version.Git.Sha,
                ["BeaconCommitTime"] = version.Git.CommitTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            };

            SmokeEndpoints ISmokeContract.SmokeEndpoints => new(
                new ProvenanceEndpoint("/version", versionField: "version", gitShaField: "git_sha", chartVersionField: "chart_version"),
                protectedPaths: ["/api/v1/health"]);
        }
        """";

    public string ChartDirectory => System.IO.Path.Combine(Root, "charts", "beacon");

    /// <summary>
    /// Adds this repository's <c>build.sh</c> and <c>.gitignore</c> and a build project of <paramref name="buildSource"/> on the
    /// engine and components as this test assembly has them, and commits them, so the tree stays clean and <c>./build.sh</c> runs.
    /// </summary>
    public void CommitBuild(string buildSource)
    {
        TestRepository.WriteBuild(Root, buildSource, "Slipway", "Slipway.Release", "CliWrap", "YamlDotNet", "KubernetesClient", "BCrypt-Net-Next");
        File.Copy(System.IO.Path.Combine(Repository.Root, ".gitignore"), System.IO.Path.Combine(Root, ".gitignore"));
        Git("add", "-A");
        Git("commit", "-q", "-m", "build");
    }

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
