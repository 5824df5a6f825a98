namespace Slipway.Release.Helm;

/// <summary>What helm reported after a push: the pushed reference (registry/repository:tag) and the manifest digest.</summary>
public sealed record HelmPushResult(string Reference, string Digest);
