using Microsoft.Extensions.Primitives;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Http;

namespace VoxCpm.Hub.Security;

/// <summary>
/// With API keys configured, refuses requests to <see cref="ProtectedPaths"/> that carry no valid key with 401 and
/// the JSON error body, before any WebSocket upgrade. The key may come as <c>Authorization: Bearer</c>,
/// <c>X-Api-Key</c>, <c>?api_key=</c> (browsers cannot set WebSocket headers; the seed's client passes its URL as
/// given) or <c>?access_token=</c> (what the SignalR clients send on WebSocket and SSE connections).
/// </summary>
internal sealed partial class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys, ILogger<ApiKeyMiddleware> logger)
{
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "api_key";
    public const string SignalRQueryName = "access_token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!keys.Required || !ProtectedPaths.NeedsKey(context.Request.Path) || HttpMethods.IsOptions(context.Request.Method))
        {
            await next(context);
            return;
        }

        var presented = Presented(context.Request);
        var keyName = presented is null ? null : keys.Identify(presented);
        if (keyName is null)
        {
            var message = presented is null
                ? $"an API key is required: send 'Authorization: Bearer <key>', '{HeaderName}: <key>' or '?{QueryName}=<key>' (TTS_API_KEYS)"
                : "the API key is not valid";
            var path = context.Request.Path.Value ?? "";
            var client = context.Connection.RemoteIpAddress;
            LogRefused(logger, path, client, presented is null ? "missing" : "invalid");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.Error(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message, presented is null ? "api_key" : null)
                .ExecuteAsync(context);
            return;
        }

        ClientPartition.SetKeyName(context, keyName);
        await next(context);
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return NonEmpty(authorization["Bearer ".Length..].Trim());
        }

        return NonEmpty(request.Headers[HeaderName])
            ?? NonEmpty(request.Query[QueryName])
            ?? NonEmpty(request.Query[SignalRQueryName]);
    }

    private static string? NonEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : NonEmpty(value.ToString());

    private static string? NonEmpty(string value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [LoggerMessage(EventId = 1600, EventName = "ApiKeyRefused", Level = LogLevel.Information, Message = "Refused {Path} from {Client}: API key {Problem}")]
    private static partial void LogRefused(ILogger logger, string path, System.Net.IPAddress? client, string problem);
}
