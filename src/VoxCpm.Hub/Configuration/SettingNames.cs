namespace VoxCpm.Hub.Configuration;

/// <summary>The environment variables (configuration keys) the hub reads. See docs/configuration.md.</summary>
internal static class SettingNames
{
    public const string Host = "TTS_HOST";
    public const string Port = "TTS_PORT";
    public const string WebPort = "TTS_WEB_PORT";
    public const string WebRoot = "TTS_WEB_ROOT";
    public const string ModelName = "TTS_MODEL_NAME";
    public const string Device = "TTS_DEVICE";
    public const string Precision = "TTS_PRECISION";

    public const string CudaGraphs = "TTS_CUDA_GRAPHS";
    public const string Quantization = "TTS_QUANTIZATION";
    public const string MaxConcurrent = "TTS_MAX_CONCURRENT";
    public const string QueueLimit = "TTS_QUEUE_LIMIT";
    public const string MaxBatch = "TTS_MAX_BATCH";
    public const string RealTimeAdmission = "TTS_REALTIME_ADMISSION";
    public const string MaxTextLength = "TTS_MAX_TEXT_LENGTH";
    public const string LogLevel = "TTS_LOG_LEVEL";
    public const string MetricsEnabled = "TTS_METRICS_ENABLED";
    public const string LogFormat = "TTS_LOG_FORMAT";
    public const string ShutdownTimeoutSeconds = "TTS_SHUTDOWN_TIMEOUT_SECONDS";
    public const string DbConnection = "TTS_DB_CONNECTION";
    public const string AdminUser = "TTS_ADMIN_USER";
    public const string AdminPassword = "TTS_ADMIN_PASSWORD";
    public const string Roles = "TTS_ROLES";
    public const string Redis = "TTS_REDIS";
    public const string RedisChannelPrefix = "TTS_REDIS_CHANNEL_PREFIX";
    public const string JobInvisibilitySeconds = "TTS_JOB_INVISIBILITY_SECONDS";
    public const string HistoryMaxAgeDays = "TTS_HISTORY_MAX_AGE_DAYS";
    public const string HistoryMaxRows = "TTS_HISTORY_MAX_ROWS";
    public const string ApiKeys = "TTS_API_KEYS";
    public const string ApiKeysFile = "TTS_API_KEYS_FILE";
    public const string RateLimitPerMinute = "TTS_RATE_LIMIT_PER_MINUTE";
    public const string CorsOrigins = "TTS_CORS_ORIGINS";
}
