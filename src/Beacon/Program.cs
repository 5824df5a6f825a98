using Beacon.Auth;
using Beacon.Hosting;
using Beacon.Provenance;
using Beacon.Readiness;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection.KeyManagement;

var builder = WebApplication.CreateBuilder(args);

// Structured JSON logs on stdout, nothing else.
builder.Logging.ClearProviders();
builder.Logging.AddJsonConsole(options =>
{
    options.IncludeScopes = false;
    options.UseUtcTimestamp = true;
    options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
});

if (ListenPort.Resolve(builder.Configuration) is { } port)
{
    builder.WebHost.UseSetting(WebHostDefaults.HttpPortsKey, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

// SIGTERM stops the host gracefully; finish in-flight requests within the pod's grace period.
builder.Services.Configure<HostOptions>(options =>
    options.ShutdownTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Beacon:ShutdownTimeoutSeconds", 20)));

builder.Services.AddSingleton(BuildInfo.FromAssembly(typeof(BuildInfo).Assembly));
builder.Services.AddHealthChecks().AddReadinessCheck<StartedCheck>(StartedCheck.Name);
builder.Services.AddBeaconAuthentication();

// Authentication pulls in data protection, which would persist keys under $HOME. Beacon protects
// nothing that outlives the process: keep the keys in memory, write nothing to disk.
builder.Services.Configure<KeyManagementOptions>(options => options.XmlRepository = new InMemoryKeyRepository());
builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

var app = builder.Build();

app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/healthz", () => Results.Text("ok")).AllowAnonymous();
app.MapHealthChecks("/ready", ReadinessRegistry.Options).AllowAnonymous();
app.MapGet("/version", (BuildInfo build, IConfiguration configuration) =>
        Results.Json(VersionResponse.Create(build, configuration[VersionResponse.ChartVersionVariable])))
    .AllowAnonymous();
app.MapGet("/api/v1/health", [Authorize] () => Results.Json(new { status = "ok" }));

app.Run();

public partial class Program;
