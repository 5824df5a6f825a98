using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Beacon.Readiness;

/// <summary>Healthy once the host has started and until it begins stopping, so a pod leaves the
/// Service endpoints as soon as SIGTERM arrives.</summary>
public sealed class StartedCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string Name = "started";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("stopping"));
        }

        return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
            ? HealthCheckResult.Healthy("started")
            : HealthCheckResult.Unhealthy("not started yet"));
    }
}
