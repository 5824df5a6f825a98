using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Beacon.Auth;

public static class BearerAuthentication
{
    /// <summary>JWT bearer authentication from the "Auth" section. Every endpoint requires an
    /// authenticated user unless it explicitly allows anonymous access.</summary>
    public static IServiceCollection AddBeaconAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AuthSettings>()
            .BindConfiguration(AuthSettings.Section)
            .Validate(
                settings => settings.HasSigningKey == false || SigningKeyLoader.Load(settings) is not null,
                "The Auth signing key is configured but could not be loaded.")
            .ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder()
                .RequireAuthenticatedUser()
                .Build());
        return services;
    }

    private sealed class ConfigureJwtBearer(IOptions<AuthSettings> auth, ILogger<ConfigureJwtBearer> logger)
        : IConfigureNamedOptions<JwtBearerOptions>
    {
        public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, JwtBearerOptions options)
        {
            if (name != JwtBearerDefaults.AuthenticationScheme)
            {
                return;
            }

            var settings = auth.Value;
            var key = SigningKeyLoader.Load(settings);
            options.MapInboundClaims = false;
            options.RequireHttpsMetadata = true;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = NullIfBlank(settings.Issuer),
                ValidateAudience = true,
                ValidAudience = NullIfBlank(settings.Audience),
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                IssuerSigningKey = key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
            };

            if (key is null || !settings.IsComplete)
            {
                // Not configured: refuse every request without even looking at the token.
                logger.LogWarning(
                    "Bearer authentication is not fully configured (Auth:Issuer, Auth:Audience and a signing key); protected endpoints refuse every request.");
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        context.NoResult();
                        return Task.CompletedTask;
                    },
                };
            }
        }

        private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
