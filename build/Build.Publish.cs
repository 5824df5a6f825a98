using Slipway;
using Slipway.Release.Publishing;

/// <summary>The release: version, stamp, package, push, sign, verify anonymous pull, release record.</summary>
partial class Build : IRelease;
