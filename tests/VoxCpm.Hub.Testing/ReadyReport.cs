using System.Net;
using System.Net.Http.Json;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Testing;

/// <summary>The JSON body of /health and /ready.</summary>
public sealed record ReadyReport(string Status, List<ReadyCheck> Checks)
{
    public ReadyCheck Check(string name) => Checks.Single(check => check.Name == name);

    public static async Task<(HttpStatusCode Code, ReadyReport Report)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();
        var report = await response.Content.ReadFromJsonAsync<ReadyReport>().DefaultTimeout();
        return (response.StatusCode, report ?? throw new InvalidOperationException($"{path} returned no body"));
    }
}

public sealed record ReadyCheck(string Name, string Status, string? Description);
