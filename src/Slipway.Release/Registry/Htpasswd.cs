using Slipway.Release.Oci;

namespace Slipway.Release.Registry;

/// <summary>htpasswd file lines for the distribution registry, which accepts bcrypt entries only.</summary>
public static class Htpasswd
{
    // Every request with Basic auth pays one bcrypt check; 10 rounds keep that near 50 ms for a throwaway local registry.
    private const int WorkFactor = 10;

    public static string Entry(RegistryCredentials credentials)
    {
        if (credentials.Username.Length == 0 || credentials.Username.IndexOfAny([':', '\n', '\r']) >= 0)
            throw new ArgumentException($"An htpasswd user name must be non-empty without ':' or line breaks, was '{credentials.Username}'.", nameof(credentials));
        return $"{credentials.Username}:{BCrypt.Net.BCrypt.HashPassword(credentials.Password, WorkFactor)}";
    }
}
