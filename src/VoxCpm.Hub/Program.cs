using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Hosting;

// The table of contents. Each feature registers itself in AddVoxCpmHub() and maps itself in MapVoxCpmHub()
// (src/VoxCpm.Hub/Hosting); the tests' loopback host calls the same two methods.
var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddDotEnvFile(".env");
builder.AddVoxCpmHub();

await using var app = builder.Build();
if (!app.ValidateConfiguration(Console.Error))
{
    return ExitCodes.InvalidConfiguration;
}

if (args.Contains(DatabaseCommandLine.MigrateFlag))
{
    return await app.MigrateAndExitAsync(app.Lifetime.ApplicationStopping);
}

app.MapVoxCpmHub();
await app.RunAsync();
return ExitCodes.Success;

/// <summary>The hub's entry point; public so that test hosts can name the assembly.</summary>
public partial class Program;
