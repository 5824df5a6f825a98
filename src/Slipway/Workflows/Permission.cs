namespace Slipway.Workflows;

/// <summary>The scopes of <c>GITHUB_TOKEN</c>, as <c>permissions:</c> names them.</summary>
public enum PermissionScope
{
    Actions,
    Checks,
    Contents,
    Deployments,
    Discussions,
    IdToken,
    Issues,
    Packages,
    Pages,
    PullRequests,
    SecurityEvents,
    Statuses,
}

/// <summary>One entry of a job's <c>permissions:</c>; every scope not named is <c>none</c>.</summary>
public sealed record Permission(PermissionScope Scope, bool Write)
{
    public static Permission Read(PermissionScope scope) => new(scope, Write: false);

    public static Permission ReadWrite(PermissionScope scope) => new(scope, Write: true);

    /// <summary>The YAML key: <c>id-token</c>, <c>pull-requests</c>.</summary>
    public string Key => string.Concat(Scope.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public string Access => Write ? "write" : "read";
}
