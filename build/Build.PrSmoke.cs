using Slipway.Release.GitHub;
using Slipway.Release.PrSmoke;

/// <summary>
/// The per-PR lane for Beacon: its image (linux/amd64) and charts/beacon stamped as Publish stamps them, deployed into an
/// ephemeral namespace (kind in GitHub Actions, the current kube context elsewhere), smoked, always torn down; then, from a
/// trusted job, the lane's pr-smoke.json posted as the pull request's one comment.
/// </summary>
partial class Build : IPrSmoke, IPrComment;
