namespace Slipway.Release.Tests.BadInputs;

/// <summary>Git states the Version target refuses (exit 1, it fails) or warns about (it still versions, saying what is wrong).</summary>
public sealed partial class BadInputCatalogue
{
    private static BadInput[] Versioning =>
    [
        new("release tag below an ancestor's", "Version")
        {
            Arrange = workspace =>
            {
                workspace.Git("tag", "v1.4.0");
                workspace.Commit("second");
                workspace.Git("tag", "v1.3.9");
            },
            ExitCode = ExitCodes.Failed,
            Says = ["is tagged v1.3.9, but v1.4.0 is already on one of its ancestors: versions must never go backwards", "git tag -d v1.3.9", "such as v1.4.1"],
        },
        new("tags that look like releases but are not SemVer", "Version")
        {
            Arrange = workspace =>
            {
                workspace.Git("tag", "v01.2.3");
                workspace.Git("tag", "vfoo");
            },
            ExitCode = ExitCodes.Succeeded,
            Says = ["warning: Tag 'v01.2.3' looks like a release but is not SemVer", "warning: Tag 'vfoo' looks like a release", "Version 0.1.0-ci.1.g"],
        },
        new("uncommitted changes", "Version")
        {
            Arrange = workspace => File.AppendAllText(Path.Combine(workspace.Root, "README.md"), "An edit that is not committed.\n"),
            ExitCode = ExitCodes.Succeeded,
            Says = ["warning: The working tree is dirty (1 uncommitted: README.md)", ".dirty-", "publishing it needs --allow-dirty"],
        },
        new("a shallow clone", "Version")
        {
            Arrange = workspace =>
            {
                workspace.Commit("second");
                workspace.Git("clone", "-q", "--depth=1", "file://" + workspace.Root, "shallow");
                Directory.CreateDirectory(Path.Combine(workspace.Root, "shallow", ".nuke"));
            },
            WorkingDirectory = "shallow",
            ExitCode = ExitCodes.Failed,
            Says = ["is a shallow clone", "git fetch --unshallow --tags", "fetch-depth: 0"],
        },
        new("not a git repository", "Version")
        {
            Arrange = workspace => Directory.Delete(Path.Combine(workspace.Root, ".git"), recursive: true),
            ExitCode = ExitCodes.Failed,
            Says = ["not a git repository"],
        },
    ];
}
