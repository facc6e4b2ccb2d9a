using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Hosting;

internal static class LoggingSetup
{
    /// <summary>
    /// Applies TTS_LOG_LEVEL and TTS_LOG_FORMAT to the console log, scopes included: every line of a request carries its
    /// RequestId and EntryPoint (and SynthesisId once known; see RequestTracking). Framework categories stay at Warning unless DEBUG asks for more,
    /// and the start-up banner is always shown. An invalid level is reported by validation, not here: logging is
    /// set up before validation runs, so this falls back to the default.
    /// </summary>
    public static WebApplicationBuilder AddVoxCpmLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<LoggingOptions>();
        var level = new LoggingOptions();
        LoggingOptions.Bind(new SettingsReader(builder.Configuration), level);

        var frameworkLevel = level.Level <= LogLevel.Debug ? LogLevel.Information : Max(level.Level, LogLevel.Warning);
        builder.Logging.ClearProviders();
        if (level.Json)
        {
            builder.Logging.AddJsonConsole(console =>
            {
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.IncludeScopes = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        }
        builder.Logging.SetMinimumLevel(level.Level);
        builder.Logging.AddFilter("Microsoft", frameworkLevel);
        builder.Logging.AddFilter("System", frameworkLevel);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        // Both log expected states as errors: a failed query of the migration history on a fresh database, and every
        // /ready poll while the model loads. Real failures reach our own logs through the exceptions and /ready.
        var expectedNoise = level.Level <= LogLevel.Debug ? LogLevel.Information : LogLevel.Critical;
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", expectedNoise);
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", expectedNoise);
        builder.Logging.AddFilter(typeof(StartupBanner).FullName, LogLevel.Information);
        return builder;
    }

    private static LogLevel Max(LogLevel a, LogLevel b) => a > b ? a : b;
}
