var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/healthz", () => Results.Ok());
app.Run();

public partial class Program;
