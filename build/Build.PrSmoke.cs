using Slipway.Release.PrSmoke;

/// <summary>
/// The per-PR lane for Beacon: its image (linux/amd64) and charts/beacon stamped as Publish stamps them, deployed into an
/// ephemeral namespace (kind in GitHub Actions, the current kube context elsewhere), smoked, always torn down.
/// </summary>
partial class Build : IPrSmoke;
