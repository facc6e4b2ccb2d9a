using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Scaling;

namespace VoxCpm.Hub.SignalR;

internal static class SignalRServiceCollectionExtensions
{
    /// <summary>
    /// Largest message a client may send: a request with the longest allowed text (2000 characters by default, up to
    /// 3 bytes each), prompt text and URL fits many times over; bigger messages close the connection (SignalR's rule).
    /// </summary>
    public const long MaximumReceiveMessageSize = 64 * 1024;

    /// <summary>
    /// The SignalR hub with MessagePack (preferred) and JSON, the status broadcaster and the job watchers, and the Redis
    /// backplane when TTS_REDIS is set. Reads the settings off the builder: the backplane replaces SignalR's lifetime
    /// manager, which is chosen at registration. Invalid values are reported by the start-up validation.
    /// </summary>
    public static WebApplicationBuilder AddVoxCpmSignalR(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
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

        var scaling = new ScalingOptions();
        ScalingOptions.Bind(new SettingsReader(builder.Configuration), scaling);
        if (scaling.Redis is { } redis)
        {
            AddBackplane(services, redis, scaling.RedisChannelPrefix);
        }

        return builder;
    }

    /// <summary>Maps the hub at <see cref="TtsHubMethods.Route"/> on both ports.</summary>
    public static WebApplication MapVoxCpmSignalR(this WebApplication app)
    {
        app.MapHub<TtsHub>(TtsHubMethods.Route);
        return app;
    }

    // Cross-node job updates go through the backplane (BackplaneJobUpdatePublisher), and a `backplane` readiness check
    // reports whether its Redis answers.
    private static void AddBackplane(IServiceCollection services, string redis, string channelPrefix)
    {
        services.AddSignalR().AddStackExchangeRedis(redis, options =>
        {
            options.Configuration.ChannelPrefix = RedisChannel.Literal(channelPrefix);
            // Keep retrying in the background when Redis is not up yet (compose starts everything at once).
            options.Configuration.AbortOnConnectFail = false;
        });
        services.Replace(ServiceDescriptor.Singleton<IJobUpdatePublisher, BackplaneJobUpdatePublisher>());
        services.TryAddSingleton<BackplaneHealthCheck>();
        services.AddHealthChecks().AddCheck<BackplaneHealthCheck>(
            "backplane", HealthStatus.Degraded, [HealthServiceCollectionExtensions.ReadyTag], TimeSpan.FromSeconds(10));
    }
}
