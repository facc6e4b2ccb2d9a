using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Listeners;

internal static class ListenersServiceCollectionExtensions
{
    /// <summary>Kestrel on TTS_HOST with the two ports of <see cref="HubListeners"/> (TTS_PORT, TTS_WEB_PORT).</summary>
    public static IServiceCollection AddVoxCpmListeners(this IServiceCollection services)
    {
        services.AddSettings<ServerOptions>();
        services.TryAddSingleton<HubListeners>();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>, HubListeners>((kestrel, server, listeners) =>
            {
                // Building the WebApplication already resolves Kestrel's options, before ValidateConfiguration runs.
                // Invalid server settings are reported there (and by the host's own start-up validation), so here they
                // only mean: configure no listener.
                try
                {
                    listeners.Configure(kestrel, server.Value);
                }
                catch (OptionsValidationException)
                {
                }
            });
        return services;
    }
}
