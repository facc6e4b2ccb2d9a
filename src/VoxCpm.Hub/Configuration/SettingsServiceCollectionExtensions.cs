using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace VoxCpm.Hub.Configuration;

internal static class SettingsServiceCollectionExtensions
{
    /// <summary>Binds <typeparamref name="TOptions"/> from its TTS_* settings and validates them at start.</summary>
    public static OptionsBuilder<TOptions> AddSettings<TOptions>(this IServiceCollection services)
        where TOptions : class, IBindsSettings<TOptions>, new()
    {
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<TOptions>, SettingsValidator<TOptions>>());
        return services.AddOptions<TOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                TOptions.Bind(new SettingsReader(configuration), options))
            .ValidateOnStart();
    }
}
