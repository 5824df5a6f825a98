namespace Slipway.Release.Oci;

/// <summary>A registry user name and password or token. Its text form never shows the password.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    public override string ToString() => $"RegistryCredentials {{ Username = {Username}, Password = *** }}";
}
