using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace VoxCpm.Hub.Configuration;

internal static class DotEnvConfigurationExtensions
{
    /// <summary>
    /// Adds the values of a <c>.env</c> file with a lower priority than real environment variables: the source is
    /// inserted just before the unprefixed environment variables source, so an exported TTS_PORT beats the file's.
    /// </summary>
    public static IConfigurationBuilder AddDotEnvFile(this IConfigurationBuilder configuration, string path)
    {
        var sources = configuration.Sources;
        var environmentIndex = -1;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                environmentIndex = i;
                break;
            }
        }

        var dotEnv = new DotEnvConfigurationSource(System.IO.Path.GetFullPath(path));
        if (environmentIndex < 0)
        {
            sources.Add(dotEnv);
        }
        else
        {
            sources.Insert(environmentIndex, dotEnv);
        }

        return configuration;
    }
}
