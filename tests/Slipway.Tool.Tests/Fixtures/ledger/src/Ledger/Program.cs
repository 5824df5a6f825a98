using System.Reflection;
using Ledger;

var builder = WebApplication.CreateBuilder(args);
var port = Environment.GetEnvironmentVariable("LEDGER_LISTEN_PORT") ?? "5000";
builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
var app = builder.Build();

var provenance = Provenance.Parse(typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
var chart = Environment.GetEnvironmentVariable("LEDGER_CHART_VERSION") ?? "unknown";

app.MapGet("/healthz/live", () => Results.Text("alive"));
app.MapGet("/healthz/ready", () => Results.Text("ready"));
app.MapGet("/about", () => Results.Json(new Dictionary<string, string> { ["release"] = provenance.Release, ["commit"] = provenance.Commit, ["chart"] = chart }));
app.MapGet("/api/entries", (HttpRequest request) => request.Headers.Authorization.Count == 0 ? Results.Unauthorized() : Results.Json(Array.Empty<string>()));

app.Run();
