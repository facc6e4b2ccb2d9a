using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Hosting;

internal static class ConfigurationValidation
{
    /// <summary>
    /// Validates every setting before anything starts, and on failure writes one line per problem, e.g.
    /// <c>TTS_PORT must be an integer in 1..65535 (got 'abc')</c>. Validation runs here, not only at host start,
    /// because the host would log the same failure again with a stack trace.
    /// </summary>
    public static bool ValidateConfiguration(this WebApplication app, TextWriter error)
    {
        var problems = FindProblems(app.Services, app.Configuration);
        foreach (var problem in problems)
        {
            error.WriteLine($"VoxCpm.Hub: invalid configuration: {problem}");
        }

        return problems.Count == 0;
    }

    /// <summary>Every configuration problem: malformed .env lines, then each invalid setting.</summary>
    public static IReadOnlyList<string> FindProblems(IServiceProvider services, IConfiguration configuration)
    {
        var problems = new List<string>();
        if (configuration is IConfigurationRoot root)
        {
            problems.AddRange(root.Providers.OfType<DotEnvConfigurationProvider>().SelectMany(dotEnv => dotEnv.Errors));
        }

        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            problems.AddRange(ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            problems.AddRange(ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }

        return problems;
    }
}
