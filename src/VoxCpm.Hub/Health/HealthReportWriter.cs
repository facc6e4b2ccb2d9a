using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoxCpm.Hub.Health;

/// <summary>
/// Writes a health report as JSON: <c>{"status":"Unhealthy","checks":[{"name":"model","status":"Unhealthy",
/// "description":"…","data":{}}]}</c>. The web UI and operators read the reason straight from <c>/ready</c>; load
/// balancers read the <c>capacity</c> check's data.
/// </summary>
internal static class HealthReportWriter
{
    // Relaxed escaping keeps quotes and non-ASCII text (paths, Chinese messages) readable; the body is never HTML.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                data = entry.Value.Data,
                durationMs = Math.Round(entry.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, s_json, context.RequestAborted);
    }
}
