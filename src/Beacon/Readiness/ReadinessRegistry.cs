using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beacon.Readiness;

/// <summary>The readiness registry: named health checks tagged <see cref="Tag"/>. GET /ready answers
/// 200 only when every one of them is Healthy (Degraded counts as not ready), else 503.</summary>
public static class ReadinessRegistry
{
    public const string Tag = "ready";

    /// <summary>Adds a named readiness check. Any number can be added; all must pass.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck =>
        builder.AddCheck<T>(name, failureStatus: HealthStatus.Unhealthy, tags: [Tag]);

    /// <summary>Adds a named readiness check from a delegate.</summary>
    public static IHealthChecksBuilder AddReadinessCheck(this IHealthChecksBuilder builder, string name, Func<bool> isReady) =>
        builder.AddCheck(name, () => isReady() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(), tags: [Tag]);

    public static HealthCheckOptions Options { get; } = new()
    {
        Predicate = registration => registration.Tags.Contains(Tag),
        AllowCachingResponses = false,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status == HealthStatus.Healthy ? "ready" : "not_ready",
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status == HealthStatus.Healthy),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
