using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.SignalR;

internal static class SignalRServiceCollectionExtensions
{
    /// <summary>
    /// Largest message a client may send: a request with the longest allowed text (2000 characters by default, up to
    /// 3 bytes each), prompt text and URL fits many times over; bigger messages close the connection (SignalR's rule).
    /// </summary>
    public const long MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>The SignalR hub with MessagePack (preferred) and JSON, the status broadcaster and the job watchers.</summary>
    public static IServiceCollection AddVoxCpmSignalR(this IServiceCollection services)
    {
        services.AddSignalR(options =>
            {
                options.MaximumReceiveMessageSize = MaximumReceiveMessageSize;
                options.EnableDetailedErrors = false; // HubException messages still reach clients; other exceptions stay in the log
            })
            // Both protocols bind Synthesize's argument through the one request binder (SynthesisArgument): the same
            // spellings as the raw protocol ("mode": "non_streaming") and an error item naming a field that does not bind.
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new SynthesisArgumentJsonConverter()))
            .AddMessagePackProtocol(options => options.SerializerOptions = SynthesisArgumentFormatter.Around(options.SerializerOptions));
        services.TryAddSingleton<ServerStatusSource>();
        services.TryAddSingleton<JobWatchers>();
        services.AddHostedService<StatusBroadcaster>();
        return services;
    }

    /// <summary>Maps the hub at <see cref="TtsHubMethods.Route"/> on both ports.</summary>
    public static WebApplication MapVoxCpmSignalR(this WebApplication app)
    {
        app.MapHub<TtsHub>(TtsHubMethods.Route);
        return app;
    }
}
