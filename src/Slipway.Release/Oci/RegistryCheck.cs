namespace Slipway.Release.Oci;

/// <summary>The outcome of a reachability or credentials check, with a message fit to show a user either way.</summary>
public sealed record RegistryCheck(bool Succeeded, string Message);
