using Slipway.Release.Publishing;

/// <summary>
/// The release: every chart gate, version, image (multi-platform, smoked as the chart runs it), stamped chart pinning the
/// image by digest, push, sign, verify anonymous pull, release record.
/// </summary>
partial class Build : IContainerRelease;
