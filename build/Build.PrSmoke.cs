using Slipway.Release.GitHub;

/// <summary>
/// The per-PR lane: so far its last step, posting the lane's pr-smoke.json as the pull request's one comment from a
/// trusted job (<c>./build.sh PrComment --result artifacts/pr-smoke.json --head-sha &lt;workflow_run head sha&gt;</c>).
/// </summary>
partial class Build : IPrComment;
