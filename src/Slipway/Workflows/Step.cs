namespace Slipway.Workflows;

/// <summary>The steps a workflow is made of: GitHub's own actions pinned by sha (<see cref="GitHubActionPins"/>), scripts, build targets.</summary>
public static class Step
{
    public static ActionStep Uses(PinnedAction action) => new(action);

    public static ScriptStep Run(string script) => new(script);

    /// <summary><c>exec ./build.sh &lt;target&gt; [arguments]</c>.</summary>
    public static TargetStep Runs(Target target, params string[] arguments) => new(target, arguments);

    /// <summary>
    /// The repository at the event's commit, with the full history and tags (versions are computed from them) and no
    /// token left in <c>.git/config</c>. <paramref name="reference"/> checks out another ref, e.g. the default branch.
    /// </summary>
    public static ActionStep Checkout(string? reference = null)
    {
        var step = Uses(GitHubActionPins.Checkout).Named("Check out");
        if (reference is not null)
            step.With("ref", reference);
        return step.With("fetch-depth", "0").With("persist-credentials", "false");
    }

    /// <summary>The .NET SDK that <c>global.json</c> names.</summary>
    public static ActionStep SetupDotNet(string globalJson = "global.json") =>
        Uses(GitHubActionPins.SetupDotNet).Named("Set up .NET (global.json)").With("global-json-file", globalJson);

    /// <summary>A cache restored at this step and saved at the end of the job, keyed on the hash of the files that pin its content.</summary>
    public static ActionStep Cache(string name, IReadOnlyList<string> paths, string keyPrefix, IReadOnlyList<string> pinningFiles)
    {
        var hashes = string.Join(", ", pinningFiles.Select(file => $"'{file}'"));
        return Uses(GitHubActionPins.Cache)
            .Named($"Cache {name}")
            .With("path", string.Join('\n', paths))
            .With("key", $"{keyPrefix}-${{{{ runner.os }}}}-${{{{ hashFiles({hashes}) }}}}")
            .With("restore-keys", $"{keyPrefix}-${{{{ runner.os }}}}-");
    }

    /// <summary>Uploads files as an artifact of the run; hidden folders (<c>.nuke/</c>) included; a missing file warns, never fails.</summary>
    public static ActionStep UploadArtifact(string name, IReadOnlyList<string> paths, int retentionDays = 14) =>
        Uses(GitHubActionPins.UploadArtifact)
            .Named($"Upload {name}")
            .With("name", name)
            .With("path", string.Join('\n', paths))
            .With("if-no-files-found", "warn")
            .With("include-hidden-files", "true")
            .With("retention-days", retentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// Downloads an artifact of another run (<paramref name="runId"/>, an expression such as
    /// <c>${{ github.event.workflow_run.id }}</c>) into <paramref name="path"/>; reading another run needs <c>actions: read</c>.
    /// </summary>
    public static ActionStep DownloadArtifact(string name, string runId, string path) =>
        Uses(GitHubActionPins.DownloadArtifact)
            .Named($"Download {name}")
            .With("name", name)
            .With("run-id", runId)
            .With("github-token", "${{ github.token }}")
            .With("path", path);
}
