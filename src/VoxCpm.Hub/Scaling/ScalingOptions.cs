using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Scaling;

/// <summary>
/// Several nodes on one PostgreSQL: TTS_ROLES (api, worker or both), TTS_REDIS (the SignalR backplane; none = this
/// node's SignalR clients hear only this node), TTS_REDIS_CHANNEL_PREFIX and TTS_JOB_INVISIBILITY_SECONDS (how long
/// a job fetched by a node that died waits before another worker takes it). See docs/SCALING.md.
/// </summary>
internal sealed class ScalingOptions : IBindsSettings<ScalingOptions>
{
    public const string DefaultChannelPrefix = "voxcpm-hub";
    public const int DefaultJobInvisibilitySeconds = 120;
    public const int MinJobInvisibilitySeconds = 5;
    public const int MaxJobInvisibilitySeconds = 86_400;

    public NodeRoles Roles { get; set; } = NodeRoles.Both;

    /// <summary>A StackExchange.Redis connection string, e.g. <c>redis:6379</c>; null runs without a backplane.</summary>
    public string? Redis { get; set; }

    public string RedisChannelPrefix { get; set; } = DefaultChannelPrefix;

    public TimeSpan JobInvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(DefaultJobInvisibilitySeconds);

    public bool ServesClients => Roles.HasFlag(NodeRoles.Api);

    public bool RunsWorker => Roles.HasFlag(NodeRoles.Worker);

    public bool UsesBackplane => Redis is not null;

    /// <summary>The roles as TTS_ROLES spells them, e.g. <c>api,worker</c>.</summary>
    public string RolesText => Roles switch
    {
        NodeRoles.Api => "api",
        NodeRoles.Worker => "worker",
        _ => "api,worker",
    };

    public static void Bind(SettingsReader settings, ScalingOptions options)
    {
        options.Roles = ParseRoles(settings);
        options.Redis = settings.OptionalString(SettingNames.Redis);
        options.RedisChannelPrefix = settings.String(SettingNames.RedisChannelPrefix, DefaultChannelPrefix);
        options.JobInvisibilityTimeout = TimeSpan.FromSeconds(settings.Int(
            SettingNames.JobInvisibilitySeconds, DefaultJobInvisibilitySeconds, MinJobInvisibilitySeconds, MaxJobInvisibilitySeconds));
    }

    private static NodeRoles ParseRoles(SettingsReader settings)
    {
        var raw = settings.OptionalString(SettingNames.Roles);
        if (raw is null)
        {
            return NodeRoles.Both;
        }

        var roles = NodeRoles.None;
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var role = part.ToUpperInvariant() switch
            {
                "API" => NodeRoles.Api,
                "WORKER" => NodeRoles.Worker,
                _ => NodeRoles.None,
            };
            if (role == NodeRoles.None)
            {
                settings.Report($"{SettingNames.Roles} must be a comma-separated list of api and worker, e.g. api,worker (got '{raw}')");
                return NodeRoles.Both;
            }

            roles |= role;
        }

        settings.Check(roles != NodeRoles.None, $"{SettingNames.Roles} must name at least one of api and worker (got '{raw}')");
        return roles == NodeRoles.None ? NodeRoles.Both : roles;
    }
}
