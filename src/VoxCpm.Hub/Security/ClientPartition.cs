namespace VoxCpm.Hub.Security;

/// <summary>Who a request is, for rate limiting: its API key's name, or its client address when keys are off.</summary>
internal static class ClientPartition
{
    private const string KeyNameItem = "VoxCpm.ApiKeyName";

    public static void SetKeyName(HttpContext context, string keyName) => context.Items[KeyNameItem] = keyName;

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(KeyNameItem, out var name) && name is string keyName
            ? "key:" + keyName
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
